using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace SkateBot.Sandbox.Discord;

/// <summary>
/// A server-sent-events stream of "this message changed" notices for the sandbox page (<see cref="FeedPath"/>). Real
/// Discord clients get these over their own gateway connection; the page only needs to know what to fetch again, and
/// then reads the message through the ordinary REST endpoint with its user token. The notices carry ids, never content.
/// </summary>
public sealed partial class FakeDiscordServer
{
    public const string FeedPath = "/sandbox/feed";
    private readonly ConcurrentDictionary<Channel<string>, byte> _feeds = new();
    private readonly CancellationTokenSource _feedsClosed = new();

    /// <summary>Tells every page that a message was created, edited or reacted to.</summary>
    private void Changed(string channelId, string messageId)
    {
        var notice = new JsonObject { ["channel_id"] = channelId, ["message_id"] = messageId }.ToJsonString();
        foreach (var feed in _feeds.Keys)
            feed.Writer.TryWrite(notice);
    }

    private async Task HandleFeedAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var feed = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        _feeds[feed] = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _feedsClosed.Token);
        try
        {
            await context.Response.WriteAsync(": connected\n\n", stop.Token).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            await foreach (var notice in feed.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await context.Response.WriteAsync($"event: message\ndata: {notice}\n\n", stop.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The page went away, or the sandbox is stopping.
        }
        finally
        {
            _feeds.TryRemove(feed, out _);
        }
    }

    private void CloseFeeds()
    {
        if (!_feedsClosed.IsCancellationRequested) _feedsClosed.Cancel();
    }
}
