using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace SkateBot.Sandbox.Reddit;

public sealed partial class FakeRedditServer
{
    private const string JsonType = "application/json; charset=UTF-8";

    private void MapRoutes(WebApplication app) => app.Run(HandleAsync);

    /// <summary>Answers one request whose path is relative to the stand-in's root (<c>/www/…</c>, <c>/oauth/…</c>, <c>/i/…</c>).</summary>
    public async Task HandleAsync(HttpContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith(SandboxPrefix, StringComparison.Ordinal))
        {
            await HandleSandboxAsync(ctx, path[SandboxPrefix.Length..]).ConfigureAwait(false);
            return;
        }
        var (host, relative) = path switch
        {
            _ when path.StartsWith("/www/", StringComparison.Ordinal) => (FakeRedditHost.Auth, path[4..]),
            _ when path.StartsWith("/oauth/", StringComparison.Ordinal) => (FakeRedditHost.Api, path[6..]),
            _ when path.StartsWith("/i/", StringComparison.Ordinal) => (FakeRedditHost.Cdn, path[2..]),
            _ => ((FakeRedditHost?)null, path),
        };
        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.RequestAborted) : null;
        var query = ctx.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        string? Form(string key) => form is not null && form.TryGetValue(key, out var v) ? v.ToString() : null;
        var auth = ctx.Request.Headers.Authorization.ToString();

        FakeRedditResponse response;
        var overBudget = false;
        lock (_lock)
        {
            response = host switch
            {
                FakeRedditHost.Auth when relative == "/api/v1/access_token" && ctx.Request.Method == "POST" => Token(auth, Form),
                FakeRedditHost.Auth when ctx.Request.Method == "GET" && PublicListing(relative) is { } subs => PublicListingResponse(subs, query),
                FakeRedditHost.Api => Api(ctx.Request.Method, relative, query, Form, auth, out overBudget),
                FakeRedditHost.Cdn when _images.TryGetValue(relative.TrimStart('/'), out var image) =>
                    new FakeRedditResponse(200, image.Bytes, image.ContentType, []),
                _ => NotFound(),
            };
            _requests.Add(new FakeRedditRequest(_time.GetUtcNow(), host ?? FakeRedditHost.Cdn, ctx.Request.Method, relative, query,
                ctx.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
                host == FakeRedditHost.Auth ? Form("grant_type") : null, response.Status, overBudget));
        }

        if (response.Delay > TimeSpan.Zero)
        {
            try { await Task.Delay(response.Delay, ctx.RequestAborted); }
            catch (OperationCanceledException) { return; } // the client gave up
        }
        ctx.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
            ctx.Response.Headers.Append(name, new StringValues(value));
        if (response.ContentType is not null)
            ctx.Response.ContentType = response.ContentType;
        if (response.Body.Length > 0)
            await ctx.Response.Body.WriteAsync(response.Body, ctx.RequestAborted);
    }

    private FakeRedditResponse Token(string authorization, Func<string, string?> form)
    {
        if (_tokenScript.TryDequeue(out var scripted))
            return scripted;
        if (!TryReadBasic(authorization, out var id, out var secret) || id != _options.ClientId || secret != _options.ClientSecret)
            return FakeRedditResponse.Text(401, """{"message": "Unauthorized", "error": 401}""", JsonType);
        switch (form("grant_type"))
        {
            case "password":
                if (!_options.IsScriptApp)
                    return FakeRedditResponse.TokenError("unauthorized_client", "Only script apps may use password auth");
                var user = form("username") ?? "";
                return _users.TryGetValue(user, out var password) && password == form("password")
                    ? IssueToken(user, null)
                    : FakeRedditResponse.TokenError("invalid_grant");
            case "client_credentials":
                return _options.ClientSecret.Length == 0 ? FakeRedditResponse.TokenError("unauthorized_client") : IssueToken(null, null);
            case "https://oauth.reddit.com/grants/installed_client":
                return form("device_id") is { Length: > 0 } device ? IssueToken(null, device) : FakeRedditResponse.TokenError("invalid_request");
            default:
                return FakeRedditResponse.TokenError("unsupported_grant_type");
        }
    }

    private FakeRedditResponse IssueToken(string? user, string? deviceId)
    {
        var token = $"fake-{++_tokenCounter}-{Guid.NewGuid():N}";
        _tokens[token] = (_time.GetUtcNow() + _options.TokenLifetime, user);
        var body = new JsonObject
        {
            ["access_token"] = token, ["token_type"] = "bearer",
            ["expires_in"] = (int)_options.TokenLifetime.TotalSeconds, ["scope"] = "*",
        };
        if (deviceId is not null)
            body["device_id"] = deviceId;
        return FakeRedditResponse.Text(200, Json(body), JsonType);
    }

    private FakeRedditResponse Api(string method, string path, Dictionary<string, string> query, Func<string, string?> form, string authorization, out bool overBudget)
    {
        var now = _time.GetUtcNow();
        var window = (now - _started).Ticks / _options.RateLimitWindow.Ticks;
        if (window != _window)
        {
            _window = window;
            _usedInWindow = 0;
        }
        overBudget = _usedInWindow >= _options.RateLimitBudget;
        if (overBudget)
        {
            // Reddit at the limit: 429 with a 0-byte body (praw issue #2046).
            _violations++;
            return FakeRedditResponse.TooManyRequestsEmpty();
        }
        _usedInWindow++;
        var windowEnd = _started + TimeSpan.FromTicks((window + 1) * _options.RateLimitWindow.Ticks);
        var remaining = _options.RateLimitBudget - _usedInWindow;
        KeyValuePair<string, string>[] rateHeaders =
        [
            new("x-ratelimit-remaining", _options.RemainingAsFloat ? Invariant(remaining) : remaining.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("x-ratelimit-used", _usedInWindow.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("x-ratelimit-reset", ((int)Math.Floor((windowEnd - now).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        return WithHeaders(Route(method, path, query, form, authorization), rateHeaders);
    }

    private FakeRedditResponse Route(string method, string path, Dictionary<string, string> query, Func<string, string?> form, string authorization)
    {
        var scripted = _apiScript.FindIndex(s => s.PathPrefix is null || path.StartsWith(s.PathPrefix, StringComparison.OrdinalIgnoreCase));
        if (scripted >= 0)
        {
            var response = _apiScript[scripted].Response;
            _apiScript.RemoveAt(scripted);
            return response;
        }
        if (!authorization.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase)
            || !_tokens.TryGetValue(authorization[7..].Trim(), out var token) || token.Expires <= _time.GetUtcNow())
            return FakeRedditResponse.InvalidToken();

        var segments = path.Trim('/').Split('/');
        return (method, segments) switch
        {
            ("GET", ["r", var subs, "new"]) => Listing(subs, query),
            ("GET", ["comments", var id, ..]) => Submission(id),
            ("POST", ["api", "comment"]) => Comment(token.User, form("thing_id"), form("text")),
            _ => NotFound(),
        };
    }

    private FakeRedditResponse Comment(string? user, string? thingId, string? text)
    {
        if (user is null)
            return FakeRedditResponse.Text(403, """{"error": 403}""", JsonType, ("WWW-Authenticate", "Bearer realm=\"reddit\", error=\"insufficient_scope\""));
        if (thingId is null || !_posts.Any(p => (string?)p["name"] == thingId) && !_comments.Any(c => c.Fullname == thingId))
            return FakeRedditResponse.Text(200, """{"json": {"errors": [["NO_THING_ID", "can't find that", "parent"]]}}""", JsonType);
        if (string.IsNullOrWhiteSpace(text))
            return FakeRedditResponse.Text(200, """{"json": {"errors": [["NO_TEXT", "we need something here", "text"]]}}""", JsonType);
        var fullname = "t1_" + ToBase36(_nextId++);
        _comments.Add(new FakeRedditComment(thingId, text, user, fullname));
        var thing = new JsonObject { ["kind"] = "t1", ["data"] = new JsonObject { ["name"] = fullname, ["parent_id"] = thingId, ["body"] = text, ["author"] = user } };
        var body = new JsonObject { ["json"] = new JsonObject { ["errors"] = new JsonArray(), ["data"] = new JsonObject { ["things"] = new JsonArray(thing) } } };
        return FakeRedditResponse.Text(200, Json(body), JsonType);
    }

    private static FakeRedditResponse WithHeaders(FakeRedditResponse response, KeyValuePair<string, string>[] rateHeaders)
    {
        // A scripted response that brings its own x-ratelimit headers (a recording) keeps them.
        if (response.Headers.Any(h => h.Key.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase)))
            return response;
        return response with { Headers = [.. response.Headers, .. rateHeaders] };
    }

    private static FakeRedditResponse NotFound() => FakeRedditResponse.Text(404, """{"message": "Not Found", "error": 404}""", JsonType);

    private static bool TryReadBasic(string header, out string id, out string secret)
    {
        id = secret = "";
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return false;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                return false;
            (id, secret) = (decoded[..colon], decoded[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
