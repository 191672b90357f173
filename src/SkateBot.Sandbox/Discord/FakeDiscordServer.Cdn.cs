using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SkateBot.Sandbox.Discord;

public sealed partial class FakeDiscordServer
{
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> _cdn = new(StringComparer.Ordinal);
    private int _cdnRequests;

    /// <summary>CDN requests received so far (counted when they arrive, before <see cref="FakeDiscordOptions.CdnDelay"/>).</summary>
    public int CdnRequests => Volatile.Read(ref _cdnRequests);

    /// <summary>Serves <paramref name="bytes"/> at <see cref="CdnBaseUrl"/> + <paramref name="path"/>; returns the full URL.</summary>
    public string AddCdnFile(string path, byte[] bytes, string contentType)
    {
        path = "/" + path.TrimStart('/');
        _cdn[Uri.UnescapeDataString(path)] = (bytes, contentType);   // Kestrel hands us decoded paths
        return CdnBaseUrl + path;
    }

    /// <summary>An attachment object as Discord sends it (id, filename, size, url, proxy_url, content_type, width, height),
    /// its bytes served by the CDN at /attachments/{channel}/{id}/{filename}. Put it in a MESSAGE_CREATE's attachments or an
    /// interaction's resolved.attachments.</summary>
    public JsonObject CreateAttachment(string channelId, string filename, byte[] bytes, string contentType, int? width = null, int? height = null)
    {
        var id = NextId();
        var url = AddCdnFile($"attachments/{channelId}/{id}/{Uri.EscapeDataString(filename)}", bytes, contentType);
        var attachment = new JsonObject
        {
            ["id"] = id, ["filename"] = filename, ["size"] = bytes.Length, ["url"] = url, ["proxy_url"] = url, ["content_type"] = contentType,
        };
        if (width is not null) attachment["width"] = width;
        if (height is not null) attachment["height"] = height;
        return attachment;
    }

    private async Task HandleCdnAsync(HttpContext context, string path)
    {
        Interlocked.Increment(ref _cdnRequests);
        if (context.Request.Method != "GET" || !_cdn.TryGetValue(path, out var file))
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (Options.CdnDelay > TimeSpan.Zero) await Task.Delay(Options.CdnDelay, context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = file.ContentType;
        context.Response.ContentLength = file.Bytes.Length;
        await context.Response.Body.WriteAsync(file.Bytes).ConfigureAwait(false);
    }
}
