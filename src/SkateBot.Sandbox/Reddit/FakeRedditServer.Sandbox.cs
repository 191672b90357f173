using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SkateBot.Sandbox.Reddit;

/// <summary>
/// What the sandbox page does on the Reddit side: read a subreddit the way anyone can (the public
/// <c>www.reddit.com/r/{sub}/new.json</c> listing, no OAuth and no budget), submit a photo as a post, and feed a folder of
/// photos in as posts one at a time. The bot only ever sees these through the OAuth API, like any other post.
/// </summary>
public sealed partial class FakeRedditServer
{
    public const string SandboxPrefix = "/sandbox";
    private static readonly string[] PhotoExtensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"];
    private readonly Dictionary<string, DateTimeOffset> _delivered = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _feedsStopping = new();
    private readonly List<Task> _feeds = [];

    /// <summary>When the OAuth listing first handed each post to a client (the bot's scanner), by fullname.</summary>
    public DateTimeOffset? DeliveredAt(string fullname)
    {
        lock (_lock) return _delivered.TryGetValue(fullname, out var at) ? at : null;
    }

    private void MarkDelivered(IEnumerable<JsonObject> posts)
    {
        foreach (var post in posts)
            _delivered.TryAdd((string)post["name"]!, _time.GetUtcNow());   // called under _lock
    }

    private static string? PublicListing(string relative)
    {
        var s = relative.Trim('/').Split('/');
        return s is ["r", var subs, "new.json"] ? subs : null;
    }

    /// <summary>The public JSON listing, plus <c>sandbox_delivered_utc</c> on each post the scanner has fetched (a field
    /// real Reddit does not have; the page shows it as "picked up by the bot").</summary>
    private FakeRedditResponse PublicListingResponse(string subs, Dictionary<string, string> query)
    {
        var response = Listing(subs, query, deliver: false);
        if (response.Status != 200 || JsonNode.Parse(response.Body) is not JsonObject listing) return response;
        foreach (var child in listing["data"]!["children"]!.AsArray().OfType<JsonObject>())
        {
            var data = (JsonObject)child["data"]!;
            if (_delivered.TryGetValue((string)data["name"]!, out var at))
                data["sandbox_delivered_utc"] = at.ToUnixTimeMilliseconds() / 1000.0;
        }
        return FakeRedditResponse.Text(200, Json(listing), JsonType);
    }

    /// <summary>Submits a photo as a new image post; returns its fullname.</summary>
    public string SubmitPhoto(string subreddit, string title, string fileName, byte[] bytes, string contentType)
    {
        var safe = $"{ToBase36(Interlocked.Increment(ref _uploadCounter))}-{new string([.. Path.GetFileName(fileName).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')])}";
        var url = AddImage(safe, bytes, contentType);
        return AddPost(FakeRedditPost.Image(subreddit, url, string.IsNullOrWhiteSpace(title) ? Path.GetFileNameWithoutExtension(fileName) : title));
    }

    private long _uploadCounter;

    /// <summary>Posts every photo under <paramref name="folder"/> (recursively, in name order) to <paramref name="subreddit"/>,
    /// one every <paramref name="every"/>, in the background. Returns how many will be posted.</summary>
    public int FeedFolder(string folder, string subreddit, TimeSpan every)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => PhotoExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList();
        var task = Task.Run(async () =>
        {
            foreach (var file in files)
            {
                SubmitPhoto(subreddit, Path.GetFileNameWithoutExtension(file), Path.GetFileName(file), await File.ReadAllBytesAsync(file, _feedsStopping.Token).ConfigureAwait(false), ContentTypeOf(file));
                await Task.Delay(every, _time, _feedsStopping.Token).ConfigureAwait(false);
            }
        }, _feedsStopping.Token);
        lock (_lock) _feeds.Add(task);
        return files.Count;
    }

    private async Task HandleSandboxAsync(HttpContext ctx, string path)
    {
        if (ctx.Request.Method != "POST" || !ctx.Request.HasFormContentType)
        {
            ctx.Response.StatusCode = 404;
            return;
        }
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var subreddit = form["subreddit"].ToString() is { Length: > 0 } s ? s : "rollerblading";
        object result;
        switch (path)
        {
            case "/submit" when form.Files.Count > 0:
                var file = form.Files[0];
                using (var buffer = new MemoryStream())
                {
                    await file.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
                    result = new { name = SubmitPhoto(subreddit, form["title"].ToString(), file.FileName, buffer.ToArray(), file.ContentType ?? ContentTypeOf(file.FileName)) };
                }
                break;
            case "/feed":
                var folder = Path.GetFullPath(form["folder"].ToString());
                if (!Directory.Exists(folder))
                {
                    await WriteJsonAsync(ctx, 400, new { error = $"no such folder: {folder}" }).ConfigureAwait(false);
                    return;
                }
                var seconds = double.TryParse(form["every"], NumberStyles.Float, CultureInfo.InvariantCulture, out var e) ? Math.Clamp(e, 0.2, 600) : 3;
                result = new { folder, count = FeedFolder(folder, subreddit, TimeSpan.FromSeconds(seconds)) };
                break;
            default:
                ctx.Response.StatusCode = 400;
                return;
        }
        await WriteJsonAsync(ctx, 200, result).ConfigureAwait(false);
    }

    private static Task WriteJsonAsync(HttpContext ctx, int status, object body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = JsonType;
        return ctx.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(body), ctx.RequestAborted);
    }

    private static string ContentTypeOf(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".png" => "image/png", ".webp" => "image/webp", ".gif" => "image/gif", ".bmp" => "image/bmp", ".tif" or ".tiff" => "image/tiff",
        _ => "image/jpeg",
    };

    private async Task StopFeedsAsync()
    {
        await _feedsStopping.CancelAsync().ConfigureAwait(false);
        Task[] feeds;
        lock (_lock) feeds = [.. _feeds];
        try { await Task.WhenAll(feeds).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }
}
