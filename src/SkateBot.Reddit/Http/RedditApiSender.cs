using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace SkateBot.Reddit;

/// <summary>A finished API response, body read. <see cref="FinalUri"/> differs from the request when a handler
/// followed a redirect (Reddit redirects unknown subreddits to a search page).</summary>
internal sealed record RedditResponse(HttpStatusCode Status, string Body, Uri? FinalUri, bool InsufficientScope)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>
/// Sends bearer requests to the API host, one at a time: rate limiter first, then the request with
/// <c>raw_json=1</c>; 401 → new token and one retry (prawcore's invalid-token cassette, corpus files 09, 10);
/// 429 (JSON, HTML or empty body) → wait Retry-After, else until the window resets, else back off; 5xx and timeouts →
/// exponential back-off. Retries are bounded by <see cref="RedditClientOptions.MaxRetries"/>. Requests are serialised
/// because the free tier (~1.7 requests/s) leaves nothing to gain from parallelism and a serial stream keeps the
/// limiter's count exact.
/// </summary>
internal sealed class RedditApiSender(
    HttpClient http, RedditClientOptions options, RedditTokenProvider tokens, RedditRateLimiter limiter, TimeProvider time, ILogger logger)
{
    private readonly SemaphoreSlim _serial = new(1, 1);

    public async Task<RedditResponse> SendAsync(
        HttpMethod method, string pathAndQuery, IReadOnlyDictionary<string, string>? form, CancellationToken ct)
    {
        var uri = RedditHttp.Combine(options.ApiBaseUrl, AddRawJson(pathAndQuery));
        await _serial.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await SendSerialAsync(method, uri, form, ct).ConfigureAwait(false);
        }
        finally
        {
            _serial.Release();
        }
    }

    private async Task<RedditResponse> SendSerialAsync(HttpMethod method, Uri uri, IReadOnlyDictionary<string, string>? form, CancellationToken ct)
    {
        var path = uri.AbsolutePath;
        var tokenRefreshed = false;
        for (var attempt = 0; ;)
        {
            await limiter.AcquireAsync(ct).ConfigureAwait(false);
            var token = await tokens.GetTokenAsync(ct).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new("bearer", token);
            RedditHttp.SetUserAgent(request, options.UserAgent);
            if (form is not null)
                request.Content = new FormUrlEncodedContent(form);

            HttpResponseMessage response;
            try
            {
                using var timeout = new CancellationTokenSource(options.RequestTimeout, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
                response = await http.SendAsync(request, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                if (attempt >= options.MaxRetries)
                    throw new RedditApiException($"Reddit {method} {path} failed after {attempt + 1} attempts: {ex.Message}", null, ex);
                await BackOffAsync(path, ex is OperationCanceledException ? "timeout" : ex.GetType().Name, attempt++, ct).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                limiter.Update(response.Headers);
                var status = response.StatusCode;
                LogResponse(method, path, response);
                var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);

                if (status == HttpStatusCode.Unauthorized)
                {
                    if (tokenRefreshed)
                        throw new RedditAuthException($"Reddit rejected a freshly issued token on {path} (401); check the app's credentials and scopes.", "invalid_token");
                    RedditLog.TokenRejected(logger, path);
                    tokens.Invalidate(token);
                    tokenRefreshed = true;
                    continue;
                }
                if (status == HttpStatusCode.TooManyRequests)
                {
                    if (attempt >= options.MaxRetries)
                        throw new RedditApiException($"Reddit kept answering 429 Too Many Requests on {path} after {attempt + 1} attempts.", status);
                    var wait = RedditHttp.RetryAfter(response, time) ?? limiter.TimeToReset() ?? RedditHttp.Backoff(options, attempt);
                    RedditLog.RateLimited(logger, path, wait, ++attempt);
                    limiter.PauseFor(wait);
                    continue;
                }
                if (RedditHttp.IsTransient(status))
                {
                    if (attempt >= options.MaxRetries)
                        throw new RedditApiException($"Reddit answered {(int)status} on {path} after {attempt + 1} attempts.", status);
                    await BackOffAsync(path, ((int)status).ToString(CultureInfo.InvariantCulture), attempt++, ct).ConfigureAwait(false);
                    continue;
                }
                return new RedditResponse(status, body, response.RequestMessage?.RequestUri, RedditHttp.HasBearerError(response, "insufficient_scope"));
            }
        }
    }

    private async Task BackOffAsync(string path, string reason, int attempt, CancellationToken ct)
    {
        var delay = RedditHttp.Backoff(options, attempt);
        RedditLog.TransientRetry(logger, path, reason, delay, attempt + 1);
        await Task.Delay(delay, time, ct).ConfigureAwait(false);
    }

    private void LogResponse(HttpMethod method, string path, HttpResponseMessage response)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
            return;
        string? Header(string name) => response.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;
        RedditLog.Response(logger, method.Method, path, response.StatusCode,
            Header("x-ratelimit-remaining"), Header("x-ratelimit-used"), Header("x-ratelimit-reset"));
    }

    private static string AddRawJson(string pathAndQuery) =>
        pathAndQuery + (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "raw_json=1";
}
