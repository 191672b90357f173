namespace SkateBot.Storage;

/// <summary>Status values of <see cref="ModelVersionRecord.Status"/>.</summary>
public static class ModelStatus
{
    /// <summary>Registered, not (yet) serving.</summary>
    public const string Candidate = "candidate";

    /// <summary>The one model that serves.</summary>
    public const string Champion = "champion";

    /// <summary>Served before, replaced by a newer champion.</summary>
    public const string Retired = "retired";

    /// <summary>Evaluated worse than the champion, or rolled back.</summary>
    public const string Rejected = "rejected";

    /// <summary>Training or loading failed.</summary>
    public const string Failed = "failed";

    /// <summary>Training was cancelled (the service shut down, or the operator stopped it) before it was judged.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>A model checkpoint known to the registry.</summary>
public sealed record ModelVersionRecord
{
    /// <summary>Unique version name, e.g. "v3" (see <see cref="ModelRegistry.NextVersion"/>).</summary>
    public required string Version { get; init; }

    /// <summary>Path of the checkpoint file (relative to the data directory by convention).</summary>
    public required string FilePath { get; init; }

    /// <summary>The version it was fine-tuned from, null for the first model.</summary>
    public string? ParentVersion { get; init; }

    /// <summary>Fingerprint of the training set (e.g. a hash of the sorted (sha, class) pairs).</summary>
    public required string TrainingFingerprint { get; init; }

    /// <summary>Evaluation metrics by name, e.g. "accuracy".</summary>
    public Dictionary<string, double> Metrics { get; init; } = [];

    /// <summary>One of the <see cref="ModelStatus"/> values.</summary>
    public string Status { get; init; } = ModelStatus.Candidate;

    /// <summary>Why it was rejected, failed or rolled back.</summary>
    public string? RejectionReason { get; init; }

    /// <summary>When it was registered (set by the registry).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The class-per-folder trees it was trained on besides the labels (empty for versions registered before this was
    /// recorded). A retrain trains and judges its challenger on its champion's folders and records them again.
    /// </summary>
    public BaseFolderRecord[] BaseFolders { get; init; } = [];
}

/// <summary>One base folder of a model version: as the user gave it and as an absolute path.</summary>
/// <remarks>Both are opaque strings to storage (they may carry a share suffix such as <c>#train</c>).</remarks>
public sealed record BaseFolderRecord
{
    /// <summary>As given on the command line or in <c>Training:BaseFolders</c>, e.g. <c>../shared/photos/wild#train</c>.</summary>
    public required string Given { get; init; }

    /// <summary>Resolved against the working directory of the training, so a retrain run from elsewhere finds it.</summary>
    public required string Resolved { get; init; }
}

/// <summary>Kinds of <see cref="ModelEvent"/>.</summary>
public static class ModelEventKind
{
    /// <summary>A version became champion.</summary>
    public const string Promote = "promote";

    /// <summary>The champion was replaced by the one it had replaced.</summary>
    public const string Rollback = "rollback";

    /// <summary>A candidate was rejected.</summary>
    public const string Reject = "reject";

    /// <summary>A candidate failed (training, evaluation or loading).</summary>
    public const string Fail = "fail";

    /// <summary>A candidate's training was cancelled.</summary>
    public const string Cancel = "cancel";
}

/// <summary>One entry of the registry's append-only history.</summary>
public sealed record ModelEvent
{
    /// <summary>Database id, increasing in insertion order.</summary>
    public long Id { get; init; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>One of the <see cref="ModelEventKind"/> values.</summary>
    public required string Kind { get; init; }

    /// <summary>The version the event is about (the new champion for promote and rollback).</summary>
    public required string Version { get; init; }

    /// <summary>The champion before the event, if any.</summary>
    public string? PreviousVersion { get; init; }

    /// <summary>Why (operator text or an automatic reason).</summary>
    public required string Reason { get; init; }
}
