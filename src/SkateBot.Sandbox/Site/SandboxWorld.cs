namespace SkateBot.Sandbox.Site;

/// <summary>The fixed cast of the sandbox: one guild with its channels, a member and an operator, the bot's credentials.
/// Ids are snowflake-shaped like Discord's.</summary>
public static class SandboxWorld
{
    public const string GuildId = "410000000000000001";
    public const string PhotosChannelId = "510000000000000001";
    public const string ReviewChannelId = "510000000000000002";
    public const string OpsChannelId = "510000000000000003";
    public const string FeedChannelId = "510000000000000004";
    public const string MemberId = "310000000000000001";
    public const string OperatorId = "310000000000000009";
    public const string OperatorRoleId = "810000000000000001";
    public const string MemberToken = "sandbox-member-token";
    public const string OperatorToken = "sandbox-operator-token";
    public const string RedditClientId = "sandbox-client-id";
    public const string RedditClientSecret = "sandbox-client-secret";
    public const string RedditUserAgent = "linux:skatebot-sandbox:1.0 (by /u/skatebot_sandbox)";

    public static readonly (string Id, string Name, string Topic)[] Channels =
    [
        (PhotosChannelId, "skate-photos", "Post a skate photo: the bot answers with its guess. React ✅ or ❌ to correct it."),
        (ReviewChannelId, "review", "Photos from Reddit the bot is unsure about. React with the right class."),
        (OpsChannelId, "ops", "Retraining reports. Operators run /retrain here."),
        (FeedChannelId, "reddit-feed", "What the Reddit scanner was sure about."),
    ];
}
