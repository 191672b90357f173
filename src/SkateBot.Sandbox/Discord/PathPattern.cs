namespace SkateBot.Sandbox.Discord;

/// <summary>Matches paths like "/channels/*/messages": '*' stands for one segment, "**" at the end for the rest.</summary>
internal static class PathPattern
{
    public static bool Matches(string pattern, string path)
    {
        var p = pattern.Trim('/').Split('/');
        var s = path.Trim('/').Split('/');
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == "**") return true;
            if (i >= s.Length || (p[i] != "*" && !string.Equals(p[i], s[i], StringComparison.Ordinal))) return false;
        }
        return p.Length == s.Length;
    }

    /// <summary>The top-level resource Discord keys buckets on: channels/{id}, guilds/{id} or webhooks/{id}/{token}.</summary>
    public static string Major(string path)
    {
        var s = path.Trim('/').Split('/');
        return s.Length switch
        {
            >= 3 when s[0] == "webhooks" => string.Join('/', s[..3]),
            >= 2 when s[0] is "channels" or "guilds" => s[0] + "/" + s[1],
            _ => "",
        };
    }
}
