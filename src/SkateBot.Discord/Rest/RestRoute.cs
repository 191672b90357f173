namespace SkateBot.Discord.Rest;

/// <summary>
/// One REST call: the concrete path plus a token-free template (used in logs and to learn the route's bucket) and
/// the top-level resource (channel, guild, webhook id + token) that Discord keys buckets on (rate-limits.mdx).
/// </summary>
internal readonly record struct RestRoute(HttpMethod Method, string Template, string Path, string Major)
{
    public string Key => $"{Method.Method} {Template}";

    public override string ToString() => Key;

    /// <summary>Escapes one path segment (unicode emoji, names with ':' for custom emoji).</summary>
    public static string Segment(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException("A Discord id or path segment must not be empty.", nameof(value));
        return Uri.EscapeDataString(value);
    }
}
