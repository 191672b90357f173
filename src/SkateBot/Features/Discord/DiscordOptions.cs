using System.ComponentModel.DataAnnotations;

namespace SkateBot.Features.Discord;

/// <summary>
/// What the bot does with Discord: the <c>Discord</c> section's channel, operator and reaction keys. The connection keys
/// of the same section (<c>Discord:Token</c>, <c>Discord:ApiBaseUrl</c>, <c>Discord:Intents</c>, shards) belong to the
/// client, <see cref="SkateBot.Discord.DiscordClientOptions"/>, bound by SkateBot.Discord's own <c>AddDiscordClient</c>.
/// The bot runs when <c>Discord:Token</c> is set (<see cref="IsEnabled"/>).
/// </summary>
public sealed partial class DiscordOptions : IValidatableObject
{
    public const string Section = SkateBot.Discord.DiscordClientOptions.Section;
    /// <summary>Channel ids whose photos get answered (direct messages always are).</summary>
    public string[] Channels { get; set; } = [];
    /// <summary>Where uncertain Reddit photos are posted for people to label.</summary>
    public string ReviewChannelId { get; set; } = "";
    /// <summary>Optional: where confident Reddit predictions are posted.</summary>
    public string FeedChannelId { get; set; } = "";
    /// <summary>Optional: where automatic retraining reports are posted.</summary>
    public string OperatorChannelId { get; set; } = "";
    public string[] OperatorUserIds { get; set; } = [];
    public string[] OperatorRoleIds { get; set; } = [];
    /// <summary>Register slash commands in this guild only (instant, for development) instead of globally.</summary>
    public string GuildId { get; set; } = "";
    /// <summary>Photos one person (operators excepted) gets answered per minute; over it, one polite note, then silence until
    /// the minute has passed. 0 turns the limit off.</summary>
    [Range(0, 10_000)] public int PhotosPerUserPerMinute { get; set; } = 10;
    /// <summary>Photos being downloaded or classified at once, everyone together; a photo that arrives while that many are in
    /// progress is declined at once with a polite note instead of joining a queue with no end (beyond the model's capacity
    /// every photo would wait longer than the one before). 0 turns the bound off.</summary>
    [Range(0, 100_000)] public int MaxPhotosInProgress { get; set; } = 32;
    /// <summary>Whenever the bot starts a new gateway session (at start, or after a disconnection Discord could not resume),
    /// it reads the reactions on its messages linked this long ago or less and counts those added or removed while it was not
    /// connected (Discord never delivers them). Zero turns the catch-up off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Discord:CatchUpReactionsWithin must be between 00:00:00 (off) and 30.00:00:00.")]
    public TimeSpan CatchUpReactionsWithin { get; set; } = TimeSpan.FromDays(3);
    /// <summary>At most this many messages are read by one catch-up, newest first (one request each, plus one per vote
    /// reaction people left on it).</summary>
    [Range(0, 10_000)] public int CatchUpMaxMessages { get; set; } = 200;
    /// <summary>Whenever the bot starts a new gateway session it reads the newest messages of each watched channel and answers
    /// the photos posted this long ago or less that it has not answered (Discord never delivers messages sent while the bot
    /// was not connected). Zero turns it off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Discord:AnswerMissedPhotosWithin must be between 00:00:00 (off) and 1.00:00:00.")]
    public TimeSpan AnswerMissedPhotosWithin { get; set; } = TimeSpan.FromHours(1);
    [Required] public string RightEmoji { get; set; } = "✅";
    [Required] public string WrongEmoji { get; set; } = "❌";

    /// <summary>The bot token (secret: environment variable or config/appsettings.local.json) turns the bot on.</summary>
    public static bool IsEnabled(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:{nameof(SkateBot.Discord.DiscordClientOptions.Token)}"]);

    public bool IsOperator(string userId, IEnumerable<string>? roles) =>
        OperatorUserIds.Contains(userId) || (roles?.Any(OperatorRoleIds.Contains) ?? false);
}
