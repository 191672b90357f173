namespace SkateBot.Storage;

/// <summary>
/// A held-out image whose class is frozen: the promotion gate judges challengers on it with this class, whatever later
/// votes or imports say. Written once by <see cref="TrustedLabelStore.Admit"/>, never updated or deleted.
/// </summary>
public sealed record TrustedLabel
{
    /// <summary>The image (SHA-256 of the original bytes); the document id.</summary>
    public required string ImageSha { get; init; }

    /// <summary>The class it was trusted with.</summary>
    public required string ClassName { get; init; }

    /// <summary>When its label met the trust rule (in the vote history; may be before it was recorded).</summary>
    public DateTimeOffset TrustedAt { get; init; }

    /// <summary>Why, e.g. "agreed since 2025-03-01 12:00 UTC for 3.00:00:00" or "confirmed by 2 users".</summary>
    public required string Reason { get; init; }

    /// <summary>When it was written (set by the store).</summary>
    public DateTimeOffset RecordedAt { get; init; }
}
