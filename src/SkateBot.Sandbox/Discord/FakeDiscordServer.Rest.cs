using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SkateBot.Sandbox.Discord;

public sealed partial class FakeDiscordServer
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeResponse>> _scripted = new();
    private readonly List<FakeBucket> _buckets = [];
    private int _rateLimitViolations;

    /// <summary>Requests that arrived while their <see cref="SetBucket"/> bucket was exhausted (a client that honours
    /// X-RateLimit-Remaining/Reset-After never causes one).</summary>
    public int RateLimitViolations => Volatile.Read(ref _rateLimitViolations);

    /// <summary>The next request matching method + path pattern gets <paramref name="response"/> instead of the normal
    /// answer. Enqueue several to script a sequence (e.g. 502, 502, then the normal answer).</summary>
    public void EnqueueResponse(string method, string pathPattern, FakeResponse response) =>
        _scripted.GetOrAdd(method + " " + pathPattern, _ => new ConcurrentQueue<FakeResponse>()).Enqueue(response);

    /// <summary>The next request matching method + path pattern is handled as usual (a message is created, a reaction
    /// recorded) and then answered with <paramref name="response"/>: what a gateway timeout in front of Discord looks like
    /// to a client that cannot tell whether its request took effect.</summary>
    public void FailAfterHandling(string method, string pathPattern, FakeResponse response) =>
        _failAfter.GetOrAdd(method + " " + pathPattern, _ => new ConcurrentQueue<FakeResponse>()).Enqueue(response);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeResponse>> _failAfter = new();

    private static bool Dequeue(ConcurrentDictionary<string, ConcurrentQueue<FakeResponse>> queues, RecordedRequest request, out FakeResponse response)
    {
        foreach (var (key, queue) in queues)
        {
            var space = key.IndexOf(' ', StringComparison.Ordinal);
            if (key[..space] == request.Method && PathPattern.Matches(key[(space + 1)..], request.Path) && queue.TryDequeue(out response!))
                return true;
        }
        response = null!;
        return false;
    }

    /// <summary>Emulates a Discord bucket for matching routes: <paramref name="limit"/> requests per <paramref name="window"/>
    /// per top-level resource (channel, guild, webhook), starting at the first request; answers carry X-RateLimit-Limit,
    /// -Remaining, -Reset, -Reset-After and -Bucket; a request over the limit gets a 429 (scope user) and is counted in
    /// <see cref="RateLimitViolations"/>.</summary>
    public void SetBucket(string method, string pathPattern, string bucketHash, int limit, TimeSpan window)
    {
        lock (_sync) _buckets.Add(new FakeBucket(method, pathPattern, bucketHash, limit, window));
    }

    private async Task HandleRestAsync(HttpContext context, string path)
    {
        var request = await ReadRequestAsync(context, path).ConfigureAwait(false);
        var response = Caller(request).User is { } user ? await AnswerUserAsync(request, user).ConfigureAwait(false) : Answer(request);
        _requests.Enqueue(request with { Status = response.Status });
        if (Options.MessageCreateResponseDelay > TimeSpan.Zero && response.Status == 200 && request.Method == "POST"
            && PathPattern.Matches("/channels/*/messages", request.Path))
            await Task.Delay(Options.MessageCreateResponseDelay, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
            context.Response.Headers[name] = value;
        if (response.Body is not null)
        {
            if (!response.Headers.ContainsKey("Content-Type"))
                context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body).ConfigureAwait(false);
        }
    }

    private FakeResponse Answer(RecordedRequest request)
    {
        if (RequiresBotAuth(request.Path) && request.Header("Authorization") != "Bot " + Options.BotToken)
            return FakeResponse.Error(401, 0, "401: Unauthorized");
        if (Dequeue(_scripted, request, out var scripted)) return scripted;
        Dictionary<string, string>? limitHeaders = null;
        FakeBucket? bucket;
        lock (_sync) bucket = _buckets.FirstOrDefault(b => b.Method == request.Method && PathPattern.Matches(b.Pattern, request.Path));
        if (bucket is not null)
        {
            limitHeaders = bucket.Take(PathPattern.Major(request.Path), Now, out var retryAfter);
            if (retryAfter is { } wait)
            {
                Interlocked.Increment(ref _rateLimitViolations);
                return FakeResponse.TooManyRequests(wait.TotalSeconds, "user", bucket.Hash);
            }
        }
        FakeResponse answer;
        try { answer = Route(request); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            // A bug in the fake (or a body it cannot read) shows up as a readable 500 instead of an empty one.
            answer = FakeResponse.Error(500, 0, $"fake Discord failed: {e.GetType().Name}: {e.Message}");
        }
        if (Dequeue(_failAfter, request, out var failed)) return failed;
        if (limitHeaders is not null)
            answer = answer with { Headers = new Dictionary<string, string>(answer.Headers.Concat(limitHeaders)) };
        return answer;
    }

    /// <summary>Interaction callbacks and interaction webhooks are authorised by the token in the path.</summary>
    private static bool RequiresBotAuth(string path) =>
        !path.StartsWith("/interactions/", StringComparison.Ordinal) && !path.StartsWith("/webhooks/", StringComparison.Ordinal);

    private async Task<RecordedRequest> ReadRequestAsync(HttpContext context, string path)
    {
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? path;
        string? body = null;
        var files = new List<RecordedFile>();
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            body = form.TryGetValue("payload_json", out var json) ? json.ToString() : null;
            foreach (var file in form.Files)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer).ConfigureAwait(false);
                files.Add(new RecordedFile(file.Name, file.FileName, file.ContentType, buffer.ToArray()));
            }
        }
        else
        {
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync().ConfigureAwait(false);
            body = text.Length == 0 ? null : text;
        }
        return new RecordedRequest(context.Request.Method, path, rawTarget, headers, context.Request.ContentType, body, files, Now, 0);
    }

    private sealed class FakeBucket(string method, string pattern, string hash, int limit, TimeSpan window)
    {
        private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _windows = [];
        public string Method => method;
        public string Pattern => pattern;
        public string Hash => hash;

        /// <summary>Counts one request; returns the headers to send, and a retry-after when over the limit.</summary>
        public Dictionary<string, string> Take(string major, DateTimeOffset now, out TimeSpan? retryAfter)
        {
            lock (_windows)
            {
                if (!_windows.TryGetValue(major, out var w) || now >= w.Start + window)
                    w = (now, 0);
                w.Count++;
                _windows[major] = w;
                var resetAt = w.Start + window;
                var left = resetAt - now;
                retryAfter = w.Count > limit ? left : null;
                return new Dictionary<string, string>
                {
                    ["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture),
                    ["X-RateLimit-Remaining"] = Math.Max(0, limit - w.Count).ToString(CultureInfo.InvariantCulture),
                    ["X-RateLimit-Reset"] = (resetAt.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture),
                    ["X-RateLimit-Reset-After"] = (Math.Ceiling(left.TotalMilliseconds) / 1000).ToString("0.000", CultureInfo.InvariantCulture),
                    ["X-RateLimit-Bucket"] = hash,
                };
            }
        }
    }
}
