using System.ComponentModel.DataAnnotations;

namespace SkateBot.Features.Discord;

/// <summary>The <c>Discord</c> section. The bot runs when <see cref="Token"/> is set.</summary>
public sealed partial class DiscordOptions : IValidatableObject
{
    public const string Section = "Discord";

    /// <summary>The bot token (secret: environment variable or config/appsettings.local.json, never the committed file).</summary>
    public string Token { get; set; } = "";
    [Required, Url] public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";
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
    /// <summary>GUILDS | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS | DIRECT_MESSAGES | DIRECT_MESSAGE_REACTIONS | MESSAGE_CONTENT.</summary>
    [Range(1, int.MaxValue)] public int Intents { get; set; } = 46593;
    [Range(0, 10_000)] public int ShardId { get; set; }
    [Range(1, 10_000)] public int ShardCount { get; set; } = 1;
    [Required] public string RightEmoji { get; set; } = "✅";
    [Required] public string WrongEmoji { get; set; } = "❌";

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    public bool IsOperator(string userId, IEnumerable<string>? roles) =>
        OperatorUserIds.Contains(userId) || (roles?.Any(OperatorRoleIds.Contains) ?? false);
}
