namespace SkateBot.Sandbox.Reddit;

/// <summary>How the fake behaves. Defaults mirror Reddit's free tier (1000 requests per 600 s window, 1 h tokens).</summary>
public sealed class FakeRedditOptions
{
    public string ClientId { get; set; } = "fake-client-id";

    public string ClientSecret { get; set; } = "fake-client-secret";

    /// <summary>Whether the registered app is a "script" app (only those may use the password grant, file 06).</summary>
    public bool IsScriptApp { get; set; } = true;

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public int RateLimitBudget { get; set; } = 1000;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>Send x-ratelimit-remaining as "599.0" (true, most recordings) or "990" (false, file 26).</summary>
    public bool RemainingAsFloat { get; set; } = true;

    /// <summary>The post and comment ids handed out (base 36) start here and increase; default "1000000", 7 digits like
    /// today's posts. The sandbox starts them at the current Unix time in milliseconds, so a sandbox restarted on the
    /// same data folder never hands out a post id its scanner has already seen.</summary>
    public long FirstId { get; set; } = 36L * 36 * 36 * 36 * 36 * 36;

    /// <summary>Time source for token expiry and rate-limit windows.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
