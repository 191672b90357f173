using System.Globalization;
using System.Text.Json.Nodes;

namespace SkateBot.Sandbox.Reddit;

public sealed partial class FakeRedditServer
{
    /// <summary>
    /// <c>/r/{a+b}/new</c> over the in-memory posts, newest first. Paging follows Reddit: <c>after=X</c> gives the
    /// <c>limit</c> posts older than X, <c>before=X</c> the <c>limit</c> posts just newer than X (still newest first);
    /// the cursor pointing back the way we came is null, as in corpus file 19; an unknown cursor gives an empty page.
    /// </summary>
    private FakeRedditResponse Listing(string subs, Dictionary<string, string> query, bool deliver = true)
    {
        var names = subs.Split('+', StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names)
        {
            if (_unavailable.TryGetValue(name, out var unavailable))
                return unavailable;
        }
        var all = names.Any(n => n.Equals("all", StringComparison.OrdinalIgnoreCase));
        var set = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        var newestFirst = Enumerable.Reverse(_posts).Where(p => all || set.Contains((string?)p["subreddit"] ?? "")).ToList();
        var limit = query.TryGetValue("limit", out var l) && int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 100) : 25;

        List<JsonObject> page;
        string? after = null, before = null;
        if (query.TryGetValue("after", out var afterName))
        {
            var index = newestFirst.FindIndex(p => (string?)p["name"] == afterName);
            page = index < 0 ? [] : newestFirst.Skip(index + 1).Take(limit).ToList();
            if (index >= 0 && index + 1 + limit < newestFirst.Count)
                after = (string?)page[^1]["name"];
        }
        else if (query.TryGetValue("before", out var beforeName))
        {
            var index = newestFirst.FindIndex(p => (string?)p["name"] == beforeName);
            var start = Math.Max(0, index - limit);
            page = index < 0 ? [] : newestFirst.Skip(start).Take(index - start).ToList();
            if (index >= 0 && start > 0)
                before = (string?)page[0]["name"];
        }
        else
        {
            page = newestFirst.Take(limit).ToList();
            if (newestFirst.Count > limit)
                after = (string?)page[^1]["name"];
        }
        if (deliver) MarkDelivered(page);
        return FakeRedditResponse.Text(200, Json(ListingNode(page, after, before)), JsonType);
    }

    private FakeRedditResponse Submission(string id)
    {
        var post = _posts.FirstOrDefault(p => (string?)p["id"] == id);
        if (post is null)
            return NotFound();
        return FakeRedditResponse.Text(200, Json(new JsonArray(ListingNode([post], null, null), ListingNode([], null, null))), JsonType);
    }

    private static JsonObject ListingNode(IReadOnlyList<JsonObject> posts, string? after, string? before) => new()
    {
        ["kind"] = "Listing",
        ["data"] = new JsonObject
        {
            ["after"] = after,
            ["dist"] = posts.Count,
            ["modhash"] = "",
            ["children"] = new JsonArray([.. posts.Select(p => (JsonNode)new JsonObject { ["kind"] = "t3", ["data"] = p.DeepClone() })]),
            ["before"] = before,
        },
    };
}
