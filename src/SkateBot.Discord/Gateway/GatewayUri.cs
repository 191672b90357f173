namespace SkateBot.Discord.Gateway;

/// <summary>
/// Builds the connect URL: the URL from GET /gateway/bot (or READY's resume_gateway_url) with <c>v=10&amp;encoding=json</c>
/// and no <c>compress</c> (gateway.mdx "Connecting": query string parameters). Other query parameters are kept.
/// </summary>
internal static class GatewayUri
{
    public static Uri Build(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("ws" or "wss"))
            throw new InvalidDataException($"The gateway URL '{url}' is not an absolute ws:// or wss:// URL.");
        var kept = parsed.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.Split('=')[0] is not ("v" or "encoding" or "compress"));
        var builder = new UriBuilder(parsed) { Query = string.Join('&', kept.Append("v=10").Append("encoding=json")) };
        return builder.Uri;
    }
}
