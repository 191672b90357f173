using SkateBot.Discord.Models;

namespace SkateBot.Features.Discord;

/// <summary>The slash commands the bot registers at start.</summary>
public static class SlashCommands
{
    public const string Classify = "classify", Stats = "stats", Retrain = "retrain";

    public static IReadOnlyList<ApplicationCommand> All { get; } =
    [
        new()
        {
            Name = Classify, Description = "Aggressive or inline skates? Attach a photo.",
            Options = [new ApplicationCommandOption { Type = ApplicationCommandOptionType.Attachment, Name = "image", Description = "A photo of skates", Required = true }],
        },
        new() { Name = Stats, Description = "The serving model, its error and what people corrected since the last training." },
        new() { Name = Retrain, Description = "Operators: retrain on the corrections and promote the result if it is not worse." },
    ];
}
