using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SkateBot.Reddit;

/// <summary>
/// Obtains and caches the OAuth bearer token: POST {AuthBaseUrl}/api/v1/access_token with HTTP Basic
/// client_id:secret and a form body (https://github.com/reddit-archive/reddit/wiki/OAuth2). Refreshes shortly before
/// <c>expires_in</c> runs out, and on demand after an API 401. Token errors arrive as HTTP 200 with
/// <c>{"error": ...}</c> (corpus files 05, 06) and become <see cref="RedditAuthException"/>. The token is never logged.
/// </summary>
public sealed class RedditTokenProvider
{
    private static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly RedditClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _refreshAt;

    public RedditTokenProvider(HttpClient http, RedditClientOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _http = http;
        _options = options;
        _time = time;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>A valid access token, fetching a new one when none is cached or it is about to expire.</summary>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var token = Volatile.Read(ref _token);
            if (token is null || _time.GetUtcNow() >= _refreshAt)
                token = await RefreshLockedAsync(cancellationToken).ConfigureAwait(false);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops <paramref name="rejectedToken"/> so the next <see cref="GetTokenAsync"/> fetches a new one; a token
    /// already replaced by a concurrent refresh is left alone.</summary>
    public void Invalidate(string rejectedToken) => Interlocked.CompareExchange(ref _token, null, rejectedToken);

    private async Task<string> RefreshLockedAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = BuildRequest();
            HttpResponseMessage response;
            try
            {
                using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
                response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                if (attempt >= _options.MaxRetries)
                    throw new RedditApiException("Reddit token endpoint unreachable: " + ex.Message, null, ex);
                var delay = RedditHttp.Backoff(_options, attempt);
                RedditLog.TransientRetry(_logger, "token", ex.GetType().Name, delay, attempt + 1);
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                continue;
            }
            using (response)
            {
                var status = response.StatusCode;
                var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (status == HttpStatusCode.TooManyRequests || RedditHttp.IsTransient(status))
                {
                    if (attempt >= _options.MaxRetries)
                        throw new RedditApiException($"Reddit token endpoint answered {(int)status} after {attempt + 1} attempts.", status);
                    var delay = RedditHttp.RetryAfter(response, _time) ?? RedditHttp.Backoff(_options, attempt);
                    RedditLog.TransientRetry(_logger, "token", ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), delay, attempt + 1);
                    await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                    continue;
                }
                return Accept(status, body);
            }
        }
    }

    private HttpRequestMessage BuildRequest()
    {
        var form = _options.Grant switch
        {
            RedditGrant.Password => new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = _options.Username!, ["password"] = _options.Password!,
            },
            RedditGrant.InstalledClient => new Dictionary<string, string>
            {
                ["grant_type"] = "https://oauth.reddit.com/grants/installed_client", ["device_id"] = _options.DeviceId!,
            },
            _ => new Dictionary<string, string> { ["grant_type"] = "client_credentials" },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, RedditHttp.Combine(_options.AuthBaseUrl, "api/v1/access_token"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = RedditHttp.Basic(_options.ClientId, _options.ClientSecret);
        RedditHttp.SetUserAgent(request, _options.UserAgent);
        return request;
    }

    /// <summary>An error body quoted in an exception (and so in a log line) may echo what was sent (a proxy's error page,
    /// a debugging endpoint): the client secret, the password and the current token never get through.</summary>
    private string Redact(string body)
    {
        foreach (var secret in new[] { _options.ClientSecret, _options.Password, Volatile.Read(ref _token) })
            if (!string.IsNullOrEmpty(secret)) body = body.Replace(secret, "[redacted]", StringComparison.Ordinal);
        return body;
    }

    private string Accept(HttpStatusCode status, string body)
    {
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new RedditAuthException(
                $"Reddit token endpoint answered {(int)status}: check Reddit:ClientId and Reddit:ClientSecret.", ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if ((int)status is < 200 or >= 300)
            throw new RedditApiException($"Reddit token endpoint answered {(int)status}: {RedditJson.Excerpt(Redact(body))}", status);

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new RedditAuthException("Reddit token endpoint sent a body that is not JSON: " + RedditJson.Excerpt(Redact(body)), null, ex);
        }
        using (doc)
        {
            var root = doc.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e)
                ? (e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()) : null;
            if (error is not null)
                throw new RedditAuthException(DescribeError(error, RedditJson.GetString(root, "error_description")), error);
            var token = RedditJson.GetString(root, "access_token");
            if (string.IsNullOrEmpty(token))
                throw new RedditAuthException("Reddit token endpoint answered without an access_token.");
            var lifetime = root.TryGetProperty("expires_in", out var exp) && exp.TryGetDouble(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromHours(1);
            var margin = lifetime / 10 < MaxRefreshMargin ? lifetime / 10 : MaxRefreshMargin;
            _token = token;
            _refreshAt = _time.GetUtcNow() + lifetime - margin;
            RedditLog.TokenObtained(_logger, _options.Grant, lifetime);
            return token;
        }
    }

    private string DescribeError(string error, string? description)
    {
        var detail = description is null ? "" : $" ({description})";
        return error switch
        {
            "invalid_grant" when _options.Grant == RedditGrant.Password =>
                $"invalid_grant{detail}: Reddit rejected the login; check Reddit:Username/Reddit:Password (two-factor accounts cannot use the password grant).",
            "invalid_grant" => $"invalid_grant{detail}: Reddit rejected the grant; check Reddit:DeviceId or the app credentials.",
            "unauthorized_client" when _options.Grant == RedditGrant.Password =>
                $"unauthorized_client{detail}: only script apps may use password auth; make the app a 'script' at https://www.reddit.com/prefs/apps or remove Reddit:Username/Reddit:Password.",
            "unauthorized_client" => $"unauthorized_client{detail}: this app type may not use the {_options.Grant} grant; check Reddit:ClientId/Reddit:ClientSecret/Reddit:DeviceId.",
            "unsupported_grant_type" => $"unsupported_grant_type{detail}: Reddit does not accept the {_options.Grant} grant for this app.",
            _ => $"{error}{detail}: Reddit refused the token request; check the Reddit:* credentials.",
        };
    }
}
