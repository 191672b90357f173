using System.Text.Json;

namespace SkateBot.Discord.Models;

/// <summary>
/// The gateway envelope <c>{op, d, s, t}</c>; <c>s</c> and <c>t</c> are null unless op is 0
/// (https://discord.com/developers/docs/events/gateway-events#payload-structure).
/// </summary>
public sealed record GatewayPayload
{
    public int Op { get; init; }
    public JsonElement? D { get; init; }
    public int? S { get; init; }
    public string? T { get; init; }
}

/// <summary>op 10 Hello.</summary>
public sealed record Hello
{
    public int HeartbeatInterval { get; init; }
}

/// <summary>The READY dispatch: keep session_id and resume_gateway_url for Resume.</summary>
public sealed record Ready
{
    public int V { get; init; }
    public User User { get; set; } = new();
    public string SessionId { get; set; } = "";
    /// <summary>Missing before API v9/v10 (protocols/discord file 08).</summary>
    public string? ResumeGatewayUrl { get; init; }
    public Application? Application { get; init; }
    public IReadOnlyList<int>? Shard { get; init; }
}

/// <summary>GET /gateway/bot (https://discord.com/developers/docs/events/gateway#get-gateway-bot).</summary>
public sealed record GatewayBot
{
    public string Url { get; set; } = "";
    public int Shards { get; init; }
    public SessionStartLimit SessionStartLimit { get; set; } = new();
}

/// <summary>Identify budget: <c>total</c> per 24 h, <c>reset_after</c> in ms, <c>max_concurrency</c> per 5 s.</summary>
public sealed record SessionStartLimit
{
    public int Total { get; init; }
    public int Remaining { get; init; }
    public long ResetAfter { get; init; }
    public int MaxConcurrency { get; set; } = 1;
}

internal sealed record IdentifyData
{
    public string Token { get; set; } = "";
    public int Intents { get; init; }
    public IdentifyProperties Properties { get; set; } = new();
    public IReadOnlyList<int>? Shard { get; init; }
}

internal sealed record IdentifyProperties
{
    public string Os { get; set; } = "";
    public string Browser { get; set; } = "";
    public string Device { get; set; } = "";
}

internal sealed record ResumeData
{
    public string Token { get; set; } = "";
    public string SessionId { get; set; } = "";
    public int? Seq { get; init; }
}
