namespace SkateBot.Reddit;

public sealed partial class RedditApiClient
{
    /// <summary>
    /// Posts newer than <paramref name="newestSeenFullname"/>, newest first, at most <paramref name="maxPosts"/>.
    /// Walks <c>/new</c> from the top with <c>after</c> (pages of 100) and stops at the first post whose id is not
    /// greater than the anchor's. Ids are base-36 counters, so this also stops correctly when the anchor post was
    /// deleted, where a <c>before=</c> query returns an empty page forever. With no anchor (first scan) it returns
    /// just the newest page. If more than <paramref name="maxPosts"/> are new, the oldest of them are not returned.
    /// </summary>
    public async Task<IReadOnlyList<Post>> GetNewSinceAsync(
        IReadOnlyList<string> subreddits, string? newestSeenFullname, int maxPosts, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPosts, 1);
        ValidateFullname(newestSeenFullname, nameof(newestSeenFullname));
        var result = new List<Post>();
        string? after = null;
        while (true)
        {
            var pageSize = newestSeenFullname is null ? Math.Min(maxPosts, MaxLimit) : MaxLimit;
            var page = await GetNewAsync(subreddits, null, after, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var post in page.Children)
            {
                if (newestSeenFullname is not null && CompareFullnames(post.Name, newestSeenFullname) <= 0)
                    return result;
                result.Add(post);
                if (result.Count >= maxPosts)
                    return result;
            }
            if (newestSeenFullname is null || page.After is null || page.Children.Count == 0)
                return result;
            after = page.After;
        }
    }

    /// <summary>Orders fullnames of the same kind by their base-36 id (shorter id = older).</summary>
    public static int CompareFullnames(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var idA = a.AsSpan(a.IndexOf('_') + 1);
        var idB = b.AsSpan(b.IndexOf('_') + 1);
        return idA.Length != idB.Length ? idA.Length.CompareTo(idB.Length) : idA.CompareTo(idB, StringComparison.Ordinal);
    }
}
