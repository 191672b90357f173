using LiteDB;

namespace SkateBot.Storage;

/// <summary>
/// Label votes: who said which class an image is, where and when. Each user has at most one CURRENT vote per
/// image; older votes stay in the history as withdrawn. See <see cref="LabelResolver"/> for how votes resolve.
/// </summary>
public sealed class LabelStore
{
    private readonly DbGate _gate;
    private readonly TimeProvider _time;

    internal LabelStore(DbGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    /// <summary>
    /// Casts a vote. If the user's current vote on the image is the same class (and operator flag), nothing
    /// changes and that vote is returned: platforms may deliver one event twice. Otherwise the user's current
    /// vote, if any, is withdrawn and the new one becomes current, atomically.
    /// </summary>
    /// <returns>The user's current vote after the call.</returns>
    public LabelVote Vote(string imageSha, string className, string userId, bool isOperator, string where)
    {
        var sha = Guard.Sha(imageSha);
        Guard.Text(className);
        Guard.Text(userId);
        Guard.Text(where);

        return _gate.Run(db =>
        {
            RequireImage(db, sha);
            var labels = db.GetCollection<LabelVote>(Names.Labels);
            var now = _time.GetUtcNow();
            var current = CurrentVotes(labels, sha, userId);
            if (current.Count == 1 && current[0].ClassName == className && current[0].IsOperator == isOperator)
            {
                return current[0];
            }

            foreach (var old in current)
            {
                labels.Update(old with { Withdrawn = true, WithdrawnAt = now });
            }

            var vote = new LabelVote
            {
                ImageSha = sha,
                ClassName = className,
                UserId = userId,
                IsOperator = isOperator,
                Where = where,
                At = now,
            };
            var id = labels.Insert(vote);
            return vote with { Id = id.AsInt64 };
        });
    }

    /// <summary>
    /// Withdraws the user's current vote for <paramref name="className"/> on the image (a reaction was removed).
    /// A current vote for another class is left alone.
    /// </summary>
    /// <returns>True when a vote was withdrawn.</returns>
    public bool Withdraw(string imageSha, string userId, string className)
    {
        var sha = Guard.Sha(imageSha);
        Guard.Text(userId);
        Guard.Text(className);

        return _gate.Run(db =>
        {
            var labels = db.GetCollection<LabelVote>(Names.Labels);
            var now = _time.GetUtcNow();
            var matching = CurrentVotes(labels, sha, userId).Where(v => v.ClassName == className).ToList();
            foreach (var vote in matching)
            {
                labels.Update(vote with { Withdrawn = true, WithdrawnAt = now });
            }

            return matching.Count > 0;
        });
    }

    /// <summary>Every vote on an image, withdrawn ones included, oldest first.</summary>
    public IReadOnlyList<LabelVote> VotesFor(string imageSha)
    {
        var sha = Guard.Sha(imageSha);
        return _gate.Run(db => db.GetCollection<LabelVote>(Names.Labels)
            .Find(Query.EQ(nameof(LabelVote.ImageSha), sha)).OrderBy(v => v.Id).ToList());
    }

    /// <summary>Every vote on every image, withdrawn ones included, oldest first: the whole label history in one read.</summary>
    public IReadOnlyList<LabelVote> History() =>
        _gate.Run(db => db.GetCollection<LabelVote>(Names.Labels).FindAll().OrderBy(v => v.Id).ToList());

    /// <summary>Resolves the votes on one image (see <see cref="LabelResolver.Resolve"/>).</summary>
    public LabelResolution Resolve(string imageSha, int minVotes) => LabelResolver.Resolve(VotesFor(imageSha), minVotes);

    /// <summary>The images that have at least one current vote.</summary>
    public IReadOnlyList<string> ImagesWithCurrentVotes() =>
        _gate.Run(db => AllCurrent(db).Select(v => v.ImageSha).Distinct().Order(StringComparer.Ordinal).ToList());

    /// <summary>
    /// How many distinct images had a vote cast or withdrawn at or after <paramref name="since"/>: the
    /// number of label changes that count towards the retraining threshold.
    /// </summary>
    public int ChangedSince(DateTimeOffset since) => _gate.Run(db =>
    {
        var labels = db.GetCollection<LabelVote>(Names.Labels);
        var at = StorageMapper.Time(since);
        var cast = labels.Find(Query.GTE(nameof(LabelVote.At), at)).Select(v => v.ImageSha);
        var withdrawn = labels.Find(Query.GTE(nameof(LabelVote.WithdrawnAt), at)).Select(v => v.ImageSha);
        return cast.Concat(withdrawn).Distinct().Count();
    });

    internal static List<LabelVote> AllCurrent(LiteDatabase db) =>
        db.GetCollection<LabelVote>(Names.Labels).Find(Query.EQ(nameof(LabelVote.Withdrawn), false)).ToList();

    internal static void RequireImage(LiteDatabase db, string sha)
    {
        if (!db.GetCollection(Names.Images).Exists(Query.EQ("_id", sha)))
        {
            throw new InvalidOperationException($"Image {sha} is not stored; store the image before recording predictions or labels for it.");
        }
    }

    private static List<LabelVote> CurrentVotes(ILiteCollection<LabelVote> labels, string sha, string userId) =>
        labels.Find(Query.And(
                Query.EQ(nameof(LabelVote.ImageSha), sha),
                Query.EQ(nameof(LabelVote.UserId), userId),
                Query.EQ(nameof(LabelVote.Withdrawn), false)))
            .ToList();
}
