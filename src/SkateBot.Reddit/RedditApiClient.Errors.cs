using System.Net;
using System.Text.Json;

namespace SkateBot.Reddit;

/// <summary>Turning Reddit's error answers into the exceptions documented on the public methods.</summary>
public sealed partial class RedditApiClient
{
    private async Task<RedditException> ProbeAsync(IReadOnlyList<string> subreddits, RedditResponse combined, CancellationToken ct)
    {
        RedditLog.ProbingForbidden(_logger, string.Join('+', subreddits));
        var forbidden = new List<ForbiddenSubreddit>();
        foreach (var subreddit in subreddits)
        {
            try
            {
                await GetNewAsync([subreddit], null, null, 1, ct).ConfigureAwait(false);
            }
            catch (RedditSubredditForbiddenException ex)
            {
                forbidden.AddRange(ex.Subreddits);
            }
        }
        return forbidden.Count > 0
            ? new RedditSubredditForbiddenException(forbidden, combined.Status)
            : new RedditApiException($"Reddit refused r/{string.Join('+', subreddits)}/new ({(int)combined.Status}) but each subreddit alone is readable.", combined.Status);
    }

    /// <summary>Why a subreddit listing is unreadable (403 private/quarantined, 404 banned, redirect to search), or null.</summary>
    private static string? UnavailableReason(RedditResponse response)
    {
        if (response.IsSuccess)
            return response.FinalUri is { } final && !final.AbsolutePath.Contains("/r/", StringComparison.OrdinalIgnoreCase) ? "not_found" : null;
        if (response.Status == HttpStatusCode.Forbidden && response.InsufficientScope)
            throw new RedditAuthException("insufficient_scope: the token lacks the 'read' scope for listings.", "insufficient_scope");
        return (int)response.Status switch
        {
            403 => BodyReason(response.Body) ?? "forbidden",
            404 => BodyReason(response.Body) ?? "not_found",
            301 or 302 or 307 or 308 => "not_found",
            _ => null,
        };
    }

    private static string? BodyReason(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return RedditJson.GetString(doc.RootElement, "reason");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string ReadCommentName(string body)
    {
        using var doc = RedditJson.Parse(body);
        var json = doc.RootElement.TryGetProperty("json", out var j) ? j : default;
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("errors", out var errors)
            && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            throw new RedditApiException("Reddit refused the comment: " + RedditJson.Excerpt(errors.GetRawText()), HttpStatusCode.OK);
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("data", out var data)
            && data.TryGetProperty("things", out var things) && things.ValueKind == JsonValueKind.Array && things.GetArrayLength() > 0
            && things[0].TryGetProperty("data", out var thing) && RedditJson.GetString(thing, "name") is { } name)
            return name;
        throw new RedditApiException("Reddit's comment response had no new comment: " + RedditJson.Excerpt(body), HttpStatusCode.OK);
    }
}
