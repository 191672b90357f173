namespace SkateBot.Reddit.Tests;

public sealed class RedditUserAgentTests
{
    [Theory]
    [InlineData("android:com.example.myredditapp:v1.2.3 (by /u/kemitche)")]
    [InlineData("linux:skatebot:1.0.0 (by /u/inline_fan)")]
    [InlineData("linux:dev.skatebot.app:0.3.0-beta+5 (by u/Some-User_42)")]
    public void GetProblem_RedditForm_IsAccepted(string userAgent)
    {
        Assert.Null(RedditUserAgent.GetProblem(userAgent));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("SkateBot")]
    [InlineData("Java")]
    [InlineData("curl/8.5.0")]
    [InlineData("python-requests/2.25.1")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36")]
    [InlineData("linux:skatebot:1.0 (by /u/username)")]          // placeholder
    [InlineData("linux:skatebot:1.0")]                           // no (by /u/…)
    [InlineData("linux:skatebot:1.0 (by /u/x)")]                 // too short for a Reddit username
    [InlineData("linux:skatebot:1.0 (by /u/me) python-requests/2.31")]
    [InlineData("linux:java:1.0 (by /u/someone)")]
    public void GetProblem_GenericOrMalformed_IsRefused(string? userAgent)
    {
        Assert.NotNull(RedditUserAgent.GetProblem(userAgent));
        Assert.Throws<ArgumentException>(() => RedditUserAgent.Validate(userAgent));
    }

    [Fact]
    public void RedditApiClient_GenericUserAgent_FailsAtConstruction()
    {
        var options = new RedditClientOptions { ClientId = "id", ClientSecret = "secret", UserAgent = "python-requests/2.25.1" };
        var ex = Assert.Throws<RedditConfigurationException>(() => new RedditApiClient(new HttpClient(), options, TimeProvider.System));
        Assert.Contains("Reddit:UserAgent", ex.Message, StringComparison.Ordinal);
    }
}
