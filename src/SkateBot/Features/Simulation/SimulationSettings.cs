namespace SkateBot.Features.Simulation;

/// <summary>What <c>simulate</c> replays and how the simulated people behave.</summary>
public sealed record SimulationSettings
{
    /// <summary>Labelled folder replayed as posts (e.g. <c>../shared/photos/wild#train</c>).</summary>
    public required string StreamFolder { get; init; }
    /// <summary>Labelled folders measured after every retrain (never trained on).</summary>
    public required IReadOnlyList<string> EvalFolders { get; init; }
    /// <summary>The starting champion's checkpoint.</summary>
    public required string ChampionCheckpoint { get; init; }
    /// <summary>Base folders retraining uses (what the champion was trained on).</summary>
    public required IReadOnlyList<string> BaseFolders { get; init; }
    public required string OutputDirectory { get; init; }
    /// <summary><c>corrections</c> (people correct every wrong or unsure answer), <c>uncertain</c> or <c>random</c> (reviewers label <see cref="LabelsPerRound"/> photos of each round).</summary>
    public IReadOnlyList<string> Strategies { get; init; } = [SimulationStrategy.Corrections];
    /// <summary>Photos posted per round; a retrain follows each round that brought labels.</summary>
    public int PostsPerRound { get; init; } = 17;
    /// <summary>Photos reviewers label per round under <c>uncertain</c> and <c>random</c> (the same budget for both).</summary>
    public int LabelsPerRound { get; init; } = 8;
    /// <summary>
    /// Under <c>corrections</c>, the share of right answers people also confirm (a ✅ reaction), besides correcting every
    /// wrong or unsure one. 0 labels only the mistakes, so a retrain sees the wild photos almost only where the model
    /// failed (every photo of a class the champion does not know, few of the ones it got right).
    /// </summary>
    public double ConfirmShare { get; init; }
    /// <summary>Honest voters per labelled photo; each errs with <see cref="WrongVoteShare"/>.</summary>
    public int Voters { get; init; } = 3;
    public double WrongVoteShare { get; init; } = 0.1;
    /// <summary>One more user who always votes a wrong class.</summary>
    public bool Contrarian { get; init; } = true;
    public int Seed { get; init; } = 1;
    /// <summary>Configuration keys set for the simulated service (e.g. Retraining:UnfrozenEpochs).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    public void Validate()
    {
        if (Strategies.Count == 0 || Strategies.Any(s => !SimulationStrategy.All.Contains(s)))
            throw new ArgumentException($"Strategies are {string.Join(", ", SimulationStrategy.All)}.");
        if (PostsPerRound < 1) throw new ArgumentException("Posts per round must be at least 1.");
        if (LabelsPerRound < 1) throw new ArgumentException("Labels per round must be at least 1.");
        if (ConfirmShare is < 0 or > 1) throw new ArgumentException("The share of right answers confirmed must be in [0, 1].");
        if (Voters is < 1 or > 20) throw new ArgumentException("Voters must be 1..20.");
        if (WrongVoteShare is < 0 or >= 0.5) throw new ArgumentException("The share of wrong votes must be in [0, 0.5).");
        if (EvalFolders.Count == 0) throw new ArgumentException("Name at least one evaluation folder (--eval).");
    }
}

public static class SimulationStrategy
{
    public const string Corrections = "corrections", Uncertain = "uncertain", Random = "random";
    public static IReadOnlyList<string> All { get; } = [Corrections, Uncertain, Random];
}
