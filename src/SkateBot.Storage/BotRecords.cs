namespace SkateBot.Storage;

/// <summary>One image answered in a bot message: what a reaction on that message refers to.</summary>
/// <param name="ImageSha">The image.</param>
/// <param name="PredictedClass">The class the reply stated.</param>
/// <param name="Classes">The classes offered in the reply, in display order (reaction i means Classes[i]).</param>
/// <param name="ModelVersion">The model that made the prediction.</param>
public sealed record MessageLinkItem(string ImageSha, string PredictedClass, string[] Classes, string ModelVersion);

/// <summary>A bot message on some platform and the images it answered.</summary>
public sealed record MessageLink
{
    /// <summary>"platform:channel:message".</summary>
    public required string Id { get; init; }

    /// <summary>E.g. "discord".</summary>
    public required string Platform { get; init; }

    /// <summary>Channel id on the platform.</summary>
    public required string ChannelId { get; init; }

    /// <summary>Message id on the platform.</summary>
    public required string MessageId { get; init; }

    /// <summary>The images in the message.</summary>
    public MessageLinkItem[] Items { get; init; } = [];

    /// <summary>When the link was stored.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The people's reactions on the message that the bot has handled, as it last saw them: what a catch-up
    /// compares with the platform's reactions to find the ones made while the bot was not connected.</summary>
    public MessageLinkReaction[] Reactions { get; init; } = [];

    /// <summary>True for links stored by a version that records <see cref="Reactions"/>; false on older links, whose empty
    /// list does not mean "nobody reacted", so a catch-up leaves them alone.</summary>
    public bool TracksReactions { get; init; }
}

/// <summary>One person's reaction on a linked message.</summary>
/// <param name="UserId">The person, as the platform names them.</param>
/// <param name="Emoji">The reaction (a unicode emoji, or "name:id").</param>
public sealed record MessageLinkReaction(string UserId, string Emoji);

/// <summary>An external post the bot has already looked at.</summary>
public sealed record SeenPost
{
    /// <summary>Platform-qualified id, e.g. "reddit:t3_abc".</summary>
    public required string Id { get; init; }

    /// <summary>Link to the post.</summary>
    public required string Permalink { get; init; }

    /// <summary>Subreddit or community, if any.</summary>
    public string? Subreddit { get; init; }

    /// <summary>Images taken from the post.</summary>
    public string[] ImageShas { get; init; } = [];

    /// <summary>When it was seen (set by storage when left default).</summary>
    public DateTimeOffset At { get; init; }
}

/// <summary>Counts for a status command.</summary>
/// <param name="Images">Stored images.</param>
/// <param name="Predictions">Recorded predictions.</param>
/// <param name="CurrentLabels">Votes not withdrawn.</param>
/// <param name="Resolved">Images whose votes resolve to a class.</param>
/// <param name="Misclassified">Resolved images whose latest prediction disagrees.</param>
/// <param name="Models">Registered model versions.</param>
/// <param name="Champion">The champion's version, if any.</param>
public sealed record StorageStats(
    int Images, int Predictions, int CurrentLabels, int Resolved, int Misclassified, int Models, string? Champion);
