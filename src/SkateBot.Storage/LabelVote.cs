namespace SkateBot.Storage;

/// <summary>One person's statement "this image is class X". Votes are never deleted, only withdrawn.</summary>
public sealed record LabelVote
{
    /// <summary>Database id, increasing in insertion order (breaks ties between equal timestamps).</summary>
    public long Id { get; init; }

    /// <summary>The image (SHA-256 of the original bytes).</summary>
    public required string ImageSha { get; init; }

    /// <summary>The class voted for.</summary>
    public required string ClassName { get; init; }

    /// <summary>Who voted: a platform-qualified user id such as "discord:1234" or "cli:alice".</summary>
    public required string UserId { get; init; }

    /// <summary>Whether the voter was an operator when voting (operators outrank everyone).</summary>
    public bool IsOperator { get; init; }

    /// <summary>Where the vote was cast, e.g. "discord:channel/message" or "cli".</summary>
    public required string Where { get; init; }

    /// <summary>When the vote was cast.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>True once the voter removed it or replaced it with a newer vote.</summary>
    public bool Withdrawn { get; init; }

    /// <summary>When it was withdrawn; null while current.</summary>
    public DateTimeOffset? WithdrawnAt { get; init; }
}
