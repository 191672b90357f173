using SkateBot.Discord.Models;

namespace SkateBot.Features.Discord;

/// <summary>The images a Discord message carries: image attachments and image embeds. Other attachments are ignored.</summary>
public static class DiscordImageSources
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"];

    public static IReadOnlyList<(Uri Url, string Name)> From(Message message)
    {
        var result = new List<(Uri, string)>();
        foreach (var a in message.Attachments)
            if (IsImage(a.ContentType, a.Filename) && Uri.TryCreate(a.Url, UriKind.Absolute, out var url)) result.Add((url, a.Filename));
        foreach (var e in message.Embeds)
        {
            // Discord proxies embedded images through media.discordapp.net: fetch that copy, so a link to any site works
            // with the default Downloads:AllowedHosts and the bot never contacts arbitrary hosts itself.
            var media = e.Type == "image" ? e.Thumbnail ?? e.Image : e.Image;
            var candidate = media?.ProxyUrl ?? media?.Url ?? (e.Type == "image" ? e.Url : null);
            if (candidate is not null && Uri.TryCreate(candidate, UriKind.Absolute, out var url) && result.All(r => r.Item1 != url))
                result.Add((url, Path.GetFileName(url.AbsolutePath) is { Length: > 0 } n ? n : "embedded image"));
        }
        return result;
    }

    public static bool IsImage(string? contentType, string fileName) =>
        contentType is not null ? contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            : Extensions.Contains(Path.GetExtension(fileName).ToLowerInvariant());
}
