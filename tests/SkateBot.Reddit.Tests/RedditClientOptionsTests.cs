namespace SkateBot.Reddit.Tests;

public sealed class RedditClientOptionsTests
{
    private const string Ua = "linux:skatebot:1.0.0 (by /u/inline_fan)";

    [Fact]
    public void Grant_UsernameAndPassword_IsPassword()
    {
        var o = new RedditClientOptions { ClientId = "id", ClientSecret = "s", Username = "u", Password = "p", DeviceId = "d", UserAgent = Ua };
        Assert.Equal(RedditGrant.Password, o.Grant);
        Assert.Empty(o.GetValidationErrors());
    }

    [Fact]
    public void Grant_DeviceIdWithoutSecret_IsInstalledClient()
    {
        var o = new RedditClientOptions { ClientId = "id", DeviceId = "DO_NOT_TRACK_THIS_DEVICE", UserAgent = Ua };
        Assert.Equal(RedditGrant.InstalledClient, o.Grant);
        Assert.Empty(o.GetValidationErrors());
    }

    [Fact]
    public void Grant_OnlyClientCredentials_IsClientCredentials()
    {
        var o = new RedditClientOptions { ClientId = "id", ClientSecret = "s", UserAgent = Ua };
        Assert.Equal(RedditGrant.ClientCredentials, o.Grant);
        Assert.Empty(o.GetValidationErrors());
    }

    [Fact]
    public void Validate_EverythingWrong_NamesEachKey()
    {
        var o = new RedditClientOptions
        {
            ClientId = "", Username = "u", UserAgent = "", AuthBaseUrl = "www.reddit.com", ApiBaseUrl = "https://oauth.reddit.com/?x=1",
            MaxRetries = -1, RequestTimeout = TimeSpan.Zero,
        };
        var ex = Assert.Throws<RedditConfigurationException>(o.Validate);
        foreach (var key in new[] { "Reddit:ClientId", "Reddit:Username", "Reddit:ClientSecret", "Reddit:UserAgent", "Reddit:AuthBaseUrl", "Reddit:ApiBaseUrl", "Reddit:MaxRetries", "Reddit:RequestTimeout" })
            Assert.Contains(ex.Errors, e => e.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Errors_NeverEchoSecrets()
    {
        var o = new RedditClientOptions { ClientId = "id", ClientSecret = "", Username = "bob", Password = "hunter2-secret", UserAgent = "bad" };
        var ex = Assert.Throws<RedditConfigurationException>(o.Validate);
        Assert.DoesNotContain("hunter2-secret", ex.Message, StringComparison.Ordinal);
    }
}
