using System.Net;
using System.Net.Http.Headers;

namespace SkateBot.Reddit;

/// <summary>Small helpers shared by the token provider and the API sender.</summary>
internal static class RedditHttp
{
    /// <summary>Statuses prawcore retries (sessions.py RETRY_STATUSES); 408 added for request timeouts.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status is 408 or 500 or 502 or 503 or 504 or 520 or 522;

    /// <summary>Joins a configured base URL (which may carry a path, e.g. a test server's prefix) and a path+query.</summary>
    public static Uri Combine(string baseUrl, string pathAndQuery) =>
        new(baseUrl.TrimEnd('/') + "/" + pathAndQuery.TrimStart('/'), UriKind.Absolute);

    /// <summary>Retry-After as delta seconds or an HTTP date (RFC 9110 §10.2.3); null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
            return delta;
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    public static TimeSpan Backoff(RedditClientOptions options, int attempt)
    {
        var ticks = options.InitialBackoff.Ticks * Math.Pow(2, Math.Min(attempt, 20));
        return ticks >= options.MaxBackoff.Ticks ? options.MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    public static void SetUserAgent(HttpRequestMessage request, string userAgent)
    {
        // TryAddWithoutValidation: Reddit's "(by /u/name)" comment form is valid, but parsing would reorder nothing
        // and would throw on exotic version strings; the value was validated by RedditUserAgent already.
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
    }

    public static bool HasBearerError(HttpResponseMessage response, string error) =>
        response.Headers.WwwAuthenticate.Any(h => h.Parameter?.Contains($"error=\"{error}\"", StringComparison.Ordinal) == true);

    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(clientId + ":" + secret)));
}
