using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SkateBot.Reddit;

namespace SkateBot.Features.RedditScanning;

/// <summary>
/// What the scanner does: the <c>Reddit</c> section's subreddit, threshold and commenting keys. The credentials and client
/// tuning of the same section (<c>Reddit:ClientId</c>, <c>Reddit:UserAgent</c>, ...) belong to the client,
/// <see cref="RedditClientOptions"/>, bound and validated by SkateBot.Reddit's own <c>AddRedditClient</c>. Scanning runs
/// when <c>Reddit:ClientId</c> is set (<see cref="IsEnabled"/>). Arrays default to empty because the configuration binder
/// appends to initialised arrays; their defaults live in config/appsettings.json.
/// </summary>
public sealed partial class RedditScanningOptions : IValidatableObject
{
    public const string Section = RedditClientOptions.SectionName;

    /// <summary>Scanned together with one <c>/r/a+b+c/new</c> request per poll. Empty entries are ignored, so a
    /// settings file can blank out defaults it does not want (configuration files merge arrays by index).</summary>
    public string[] Subreddits { get; set; } = [];

    /// <summary>
    /// Subreddits mostly about other things on wheels or blades (quads, ice skates, skateboards), scanned together with
    /// <see cref="Subreddits"/>. A photo from one of them that the model names a skate class goes to review however sure
    /// it is: it is likely a "not an inline skate" the model missed, the label the <c>other</c> class most needs. One it
    /// answers "does not look like an inline skate" goes to the feed. The bot never comments there.
    /// </summary>
    public string[] NotInlineSubreddits { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Reddit:PollInterval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Posts classified on the very first poll of a subreddit (0: start from now). Reddit pages hold 100.</summary>
    [Range(0, RedditApiClient.MaxLimit, ErrorMessage = "Reddit:BackfillLimit must be between 0 and 100.")]
    public int BackfillLimit { get; set; } = 25;

    /// <summary>Most new posts taken in one poll (after a long outage the oldest beyond this are skipped, with a warning).</summary>
    [Range(1, 1000, ErrorMessage = "Reddit:MaxPostsPerPoll must be between 1 and 1000.")]
    public int MaxPostsPerPoll { get; set; } = 500;

    public bool IncludeNsfw { get; set; }

    /// <summary>A prediction less sure than this goes to review (above 1: every prediction does).</summary>
    [Range(0.0, 1.01, ErrorMessage = "Reddit:UncertainBelowConfidence must be between 0 and 1.01.")]
    public double UncertainBelowConfidence { get; set; } = 0.75;

    /// <summary>A prediction whose two best classes are closer than this goes to review.</summary>
    [Range(0.0, 1.01, ErrorMessage = "Reddit:UncertainBelowMargin must be between 0 and 1.01.")]
    public double UncertainBelowMargin { get; set; } = 0.3;

    /// <summary>Off by default: the bot only reads Reddit. When on, it comments only in <see cref="CommentSubreddits"/>.</summary>
    public bool CommentingEnabled { get; set; }

    /// <summary>Subreddits whose rules allow a bot comment (check each subreddit's rules before listing it).</summary>
    public string[] CommentSubreddits { get; set; } = [];

    public static bool IsEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:{nameof(RedditClientOptions.ClientId)}"]);

    /// <summary>Subreddit names as Reddit spells them in URLs, without duplicates (case-insensitive).</summary>
    public IReadOnlyList<string> DistinctSubreddits() =>
        Subreddits.Concat(NotInlineSubreddits).Select(s => s?.Trim() ?? "").Where(s => s.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Whether <paramref name="subreddit"/> is listed in <see cref="NotInlineSubreddits"/>.</summary>
    public bool IsNotInline(string? subreddit) =>
        NotInlineSubreddits.Any(s => string.Equals(s?.Trim(), subreddit, StringComparison.OrdinalIgnoreCase));

    public bool MayCommentIn(string subreddit) =>
        CommentingEnabled && !IsNotInline(subreddit) && CommentSubreddits.Any(s => string.Equals(s?.Trim(), subreddit, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DistinctSubreddits().Count == 0)
            yield return new ValidationResult("Reddit:Subreddits needs at least one subreddit.");
        foreach (var name in Subreddits.Concat(NotInlineSubreddits).Concat(CommentSubreddits).Select(s => s?.Trim() ?? "").Where(s => s.Length > 0 && !SubredditName().IsMatch(s)))
            yield return new ValidationResult($"Reddit:Subreddits/NotInlineSubreddits/CommentSubreddits: '{name}' is not a subreddit name (2-21 letters, digits or '_', without 'r/').");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_]{1,20}$")]
    private static partial Regex SubredditName();
}

/// <summary>Commenting needs a user token: a rule across the scanner's key and the client's credentials, so it reads the
/// credentials from the configuration the options were bound from (the client's own validator checks their form).</summary>
internal sealed class CommentingNeedsUser(IConfiguration configuration) : IValidateOptions<RedditScanningOptions>
{
    public ValidateOptionsResult Validate(string? name, RedditScanningOptions options)
    {
        if (!options.CommentingEnabled) return ValidateOptionsResult.Success;
        var client = new RedditClientOptions
        {
            Username = configuration[$"{RedditScanningOptions.Section}:{nameof(RedditClientOptions.Username)}"],
            Password = configuration[$"{RedditScanningOptions.Section}:{nameof(RedditClientOptions.Password)}"],
        };
        return client.Grant == RedditGrant.Password ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Reddit:CommentingEnabled needs Reddit:Username and Reddit:Password (a script app acting as a user).");
    }
}
