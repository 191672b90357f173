namespace SkateBot.Storage;

/// <summary>Where an image came from. One image (one SHA-256) can have many origins.</summary>
/// <param name="Kind">One of <see cref="KnownKinds"/>: "discord", "reddit", "cli", "base".</param>
/// <param name="ExternalId">Discord message id, Reddit t3_ fullname, file path; null when there is none.</param>
/// <param name="Url">Where the bytes were downloaded from, if anywhere.</param>
/// <param name="At">When the image was seen from this origin.</param>
public sealed record ImageOrigin(string Kind, string? ExternalId, string? Url, DateTimeOffset At)
{
    /// <summary>The origin kinds storage accepts.</summary>
    public static IReadOnlyList<string> KnownKinds { get; } = ["discord", "reddit", "cli", "base"];

    /// <summary>Two origins are the same source when kind and external id match (time and URL may differ on a resend).</summary>
    public bool SameSourceAs(ImageOrigin other) =>
        string.Equals(Kind, other.Kind, StringComparison.Ordinal)
        && string.Equals(ExternalId, other.ExternalId, StringComparison.Ordinal);
}

/// <summary>An image stored once by the SHA-256 of its ORIGINAL bytes; the stored bytes are the caller's normalised copy.</summary>
public sealed record ImageRecord
{
    /// <summary>Lower-case hex SHA-256 of the original bytes: the image id.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Width of the stored (normalised) image in pixels.</summary>
    public int Width { get; init; }

    /// <summary>Height of the stored (normalised) image in pixels.</summary>
    public int Height { get; init; }

    /// <summary>Length of the stored (normalised) bytes.</summary>
    public long ByteLength { get; init; }

    /// <summary>When the image was first stored.</summary>
    public DateTimeOffset StoredAt { get; init; }

    /// <summary>Every distinct source the image was seen from, oldest first.</summary>
    public ImageOrigin[] Origins { get; init; } = [];
}
