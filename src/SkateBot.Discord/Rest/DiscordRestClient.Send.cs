using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SkateBot.Discord.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary>A JSON body, or with files multipart/form-data with payload_json and files[n]
    /// (https://discord.com/developers/docs/reference#uploading-files). A factory, because a retry needs fresh content.
    /// Every body goes through here, so this is where mentions are disabled (<see cref="NoMentions"/>).</summary>
    private static Func<HttpContent> Body<TBody>(TBody body, JsonTypeInfo<TBody> info, IReadOnlyList<Models.FileAttachment>? files)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(NoMentions.Apply(body), info);
        if (files is not { Count: > 0 })
            return () => Json(json);
        return () =>
        {
            var form = new MultipartFormDataContent();
            form.Add(Json(json), "payload_json");
            for (var i = 0; i < files.Count; i++)
            {
                var part = new ByteArrayContent(files[i].Content.ToArray());
                part.Headers.ContentType = MediaTypeHeaderValue.Parse(files[i].ContentType);
                form.Add(part, $"files[{i}]", files[i].FileName);
            }
            return form;
        };
    }

    private static ByteArrayContent Json(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<T> SendAsync<T>(RestRoute route, Func<HttpContent>? body, JsonTypeInfo<T>? responseInfo, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(_options.Token))
            throw new InvalidOperationException("The Discord bot token is not set: set Discord:Token.");
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan retryDelay;
            var bucket = _limiter.GetBucket(route);
            await bucket.Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await WaitForLimitsAsync(route, bucket, ct).ConfigureAwait(false);
                using var request = new HttpRequestMessage(route.Method, new Uri(_baseUri, route.Path));
                request.Headers.TryAddWithoutValidation("Authorization", "Bot " + _options.Token);
                request.Headers.TryAddWithoutValidation("User-Agent", $"DiscordBot ({_options.UserAgentUrl}, {_options.UserAgentVersion})");
                request.Content = body?.Invoke();
                bucket.Consume();
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                _limiter.Update(route, bucket, response.Headers);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);

                if (response.IsSuccessStatusCode)
                    return responseInfo is null || text.Length == 0 ? default! : Deserialize(text, responseInfo, route);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    retryDelay = OnRateLimited(route, bucket, response, text);
                else if (IsRetryableServerError(response.StatusCode))
                {
                    retryDelay = _options.RestServerErrorDelay * Math.Pow(2, attempt - 1);
                    if (attempt < _options.RestMaxAttempts)
                        RestLog.ServerError(_logger, (int)response.StatusCode, route.Key, attempt, (long)retryDelay.TotalMilliseconds);
                }
                else
                    throw Fail(route, response.StatusCode, text);

                if (attempt >= _options.RestMaxAttempts)
                    throw Fail(route, response.StatusCode, text);
            }
            finally
            {
                bucket.Gate.Release();
            }
            // 429 waits are enforced by the bucket or the global pause on the next attempt; 5xx back off here.
            if (retryDelay > TimeSpan.Zero)
                await Task.Delay(retryDelay, _time, ct).ConfigureAwait(false);
        }
    }

    private async Task WaitForLimitsAsync(RestRoute route, RateLimitBucket bucket, CancellationToken ct)
    {
        // Loop: a global 429 from another request can arrive while this one waits for its bucket.
        while (true)
        {
            var global = _limiter.GlobalDelay();
            if (global > TimeSpan.Zero)
            {
                RestLog.GlobalWait(_logger, route.Key, (long)global.TotalMilliseconds);
                await Task.Delay(global, _time, ct).ConfigureAwait(false);
                continue;
            }
            var delay = bucket.Delay(_time.GetUtcNow());
            if (delay <= TimeSpan.Zero) return;
            RestLog.BucketWait(_logger, route.Key, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Honours a 429: global ones pause every route, user/shared ones block this bucket (rate-limits.mdx).</summary>
    private TimeSpan OnRateLimited(RestRoute route, RateLimitBucket bucket, HttpResponseMessage response, string text)
    {
        DiscordErrorBody? body = null;
        try { body = JsonSerializer.Deserialize(text, DiscordJsonContext.Default.DiscordErrorBody); }
        catch (JsonException) { /* Cloudflare answers 429 with HTML; the Retry-After header still applies. */ }
        var seconds = body?.RetryAfter ?? RateLimiter.Number(response.Headers, "Retry-After") ?? 1;
        var retryAfter = TimeSpan.FromSeconds(Math.Max(0, seconds));
        var scope = RateLimiter.Header(response.Headers, "X-RateLimit-Scope") ?? "unknown";
        var global = body?.Global == true || string.Equals(RateLimiter.Header(response.Headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase);
        RestLog.RateLimited(_logger, route.Key, scope, global, (long)retryAfter.TotalMilliseconds);
        if (global)
            _limiter.PauseGlobal(retryAfter);
        else
        {
            bucket.Block(_time.GetUtcNow() + retryAfter);
            _limiter.GetBucket(route).Block(_time.GetUtcNow() + retryAfter);
        }
        return TimeSpan.Zero;
    }

    private static bool IsRetryableServerError(HttpStatusCode status) =>
        status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private DiscordApiException Fail(RestRoute route, HttpStatusCode status, string text)
    {
        var exception = DiscordApiException.FromResponse(status, route.Key, text, Redact);
        RestLog.Failed(_logger, route.Key, (int)status, exception.Message);
        return exception;
    }

    private T Deserialize<T>(string text, JsonTypeInfo<T> info, RestRoute route)
    {
        try
        {
            return JsonSerializer.Deserialize(text, info) ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Discord returned an unreadable {typeof(T).Name} for {route.Key}: {Redact(e.Message)}", e);
        }
    }

    /// <summary>Defence in depth: the bot token never reaches an exception or a log line.</summary>
    private string Redact(string text) =>
        _options.Token.Length > 0 ? text.Replace(_options.Token, "[token]", StringComparison.Ordinal) : text;
}
