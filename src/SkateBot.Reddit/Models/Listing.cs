namespace SkateBot.Reddit;

/// <summary>One page of a Reddit listing. <see cref="After"/>/<see cref="Before"/> are fullnames to page with
/// (null = no more in that direction); <see cref="Children"/> are newest first for <c>/new</c>.</summary>
public sealed record Listing<T>(string? After, string? Before, IReadOnlyList<T> Children)
{
    /// <summary>Why each child that did not parse was left out (one bad post must not make the whole page, and so every
    /// post after it, unreadable on every poll).</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
}
