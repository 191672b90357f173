using System.ComponentModel.DataAnnotations;
using SkateBot.Features.RedditScanning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkateBot.Features;

namespace SkateBot.Tests.Features.RedditScanning;

public sealed class RedditScanningOptionsTests
{
    private static RedditScanningOptions Valid() => new()
    {
        Subreddits = ["rollerblading"],
    };

    private static List<string> Errors(RedditScanningOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? "").ToList();
    }

    [Fact]
    public void Validate_DefaultsWithCredentials_HasNoErrors() => Assert.Empty(Errors(Valid()));

    [Fact]
    public void Validate_OnlyBlankSubreddits_NamesRedditSubreddits()
    {
        var options = Valid();
        options.Subreddits = ["", " "];

        Assert.Contains(Errors(options), e => e.StartsWith("Reddit:Subreddits needs", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SubredditWithPrefix_IsRejected()
    {
        var options = Valid();
        options.Subreddits = ["r/rollerblading"];

        Assert.Contains(Errors(options), e => e.Contains("'r/rollerblading' is not a subreddit name", StringComparison.Ordinal));
    }

    [Fact]
    public void DistinctSubreddits_BlankAndRepeatedEntries_AreDropped()
    {
        var options = Valid();
        options.Subreddits = ["rollerblading", "", "RollerBlading", " inlineskating "];

        Assert.Equal(["rollerblading", "inlineskating"], options.DistinctSubreddits());
    }

    [Fact]
    public void NotInlineSubreddits_AreScannedAndValidatedLikeTheOthers_AndNeverCommentedIn()
    {
        var options = Valid();
        options.NotInlineSubreddits = ["RollerSkating", "rollerblading", "r/iceskating"];
        options.CommentingEnabled = true;
        options.CommentSubreddits = ["rollerskating", "rollerblading"];

        Assert.Equal(["rollerblading", "RollerSkating", "r/iceskating"], options.DistinctSubreddits());
        Assert.Contains(Errors(options), e => e.Contains("'r/iceskating' is not a subreddit name", StringComparison.Ordinal));
        Assert.True(options.IsNotInline("rollerskating"));
        Assert.False(options.MayCommentIn("rollerskating"));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1.01", "0")]
    [InlineData("0", "1.01")]
    public void Validate_ThresholdsAtTheirLimits_AreAccepted(string confidence, string margin)
    {
        var options = Valid();
        options.UncertainBelowConfidence = double.Parse(confidence, System.Globalization.CultureInfo.InvariantCulture);
        options.UncertainBelowMargin = double.Parse(margin, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Empty(Errors(options));
    }

    [Fact]
    public void Validate_ThresholdAboveLimit_NamesTheKey()
    {
        var options = Valid();
        options.UncertainBelowMargin = 2;

        Assert.Contains(Errors(options), e => e.StartsWith("Reddit:UncertainBelowMargin", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "", true)]
    [InlineData("skatebot_tests", "pw", false)]
    public void Validate_CommentingWithoutUser_NamesTheCredentialsKeys(string username, string password, bool refused)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reddit:ClientId"] = "id", ["Reddit:ClientSecret"] = "secret", ["Reddit:UserAgent"] = "linux:skatebot:1.0.0 (by /u/skatebot_tests)",
            ["Reddit:Username"] = username, ["Reddit:Password"] = password,
            ["Reddit:Subreddits:0"] = "rollerblading", ["Reddit:CommentingEnabled"] = "true",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging()
            .AddSkateBotCore().AddSkateBotFrontEnds(configuration).BuildServiceProvider();

        var problems = Record.Exception(() => services.GetRequiredService<IOptions<RedditScanningOptions>>().Value) is OptionsValidationException e ? e.Failures : [];

        if (refused) Assert.Contains(problems, p => p.Contains("Reddit:Username and Reddit:Password", StringComparison.Ordinal));
        else Assert.Empty(problems);
    }
}
