using System.ComponentModel.DataAnnotations;

namespace SkateBot.Features.ReviewQueue;

/// <summary>
/// The channel keys of the <c>Discord</c> section that the review queue reads (bound on its own, so the queue does not
/// depend on how the Discord bot registers its options). Posting happens only when a Discord REST client is registered
/// (<c>Discord:Token</c> set) and the channel id is set.
/// </summary>
public sealed class ReviewQueueOptions
{
    public const string Section = "Discord";

    /// <summary>Where uncertain predictions are posted for people to label.</summary>
    [RegularExpression("^[0-9]*$", ErrorMessage = "Discord:ReviewChannelId must be a channel id (digits) or empty.")]
    public string ReviewChannelId { get; set; } = "";

    /// <summary>Optional: where confident predictions are posted.</summary>
    [RegularExpression("^[0-9]*$", ErrorMessage = "Discord:FeedChannelId must be a channel id (digits) or empty.")]
    public string FeedChannelId { get; set; } = "";

    /// <summary>Kept in step with the Discord bot's vocabulary (only numbered reactions are offered here).</summary>
    public string RightEmoji { get; set; } = "✅";
    public string WrongEmoji { get; set; } = "❌";
}
