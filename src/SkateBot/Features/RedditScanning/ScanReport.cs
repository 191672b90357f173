namespace SkateBot.Features.RedditScanning;

/// <summary>What one poll did (for logs and tests).</summary>
public sealed class ScanReport
{
    private readonly Dictionary<PostOutcome, int> _counts = [];

    /// <summary>True when no model was serving, so nothing was fetched and the position stayed.</summary>
    public bool WaitingForModel { get; init; }

    public int Count(PostOutcome outcome) => _counts.GetValueOrDefault(outcome);

    public int Total => _counts.Values.Sum();

    internal void Add(PostOutcome outcome) => _counts[outcome] = Count(outcome) + 1;

    public override string ToString() =>
        $"{Count(PostOutcome.Recorded)} recorded, {Count(PostOutcome.NoImages)} without images, "
        + $"{Count(PostOutcome.AlreadySeen)} already seen, {Count(PostOutcome.Unreadable)} unreadable";
}
