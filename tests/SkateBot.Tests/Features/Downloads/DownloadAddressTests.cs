using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkateBot.Features;
using SkateBot.Features.Downloads;

namespace SkateBot.Tests.Features.Downloads;

/// <summary>
/// DNS rebinding: an allow-listed name whose address is loopback, private, link-local (the metadata service) or
/// otherwise not public is refused at connect time, before a socket is opened, unless it is loopback and
/// Downloads:AllowInsecureLoopback is set. The name check alone cannot see this: the names here are all allowed.
/// </summary>
public sealed class DownloadAddressTests : IAsyncLifetime
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 9];
    private LocalImageServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalImageServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.0.0.5", "private")]
    [InlineData("172.16.3.4", "private")]
    [InlineData("172.31.255.254", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("64:ff9b::a00:1", "private")] // NAT64 of 10.0.0.1
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("100.64.0.1", "shared (carrier-grade NAT)")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    public async Task Download_AllowedNameResolvingToNonPublicAddress_RefusedBeforeASocketOpens(string address, string kind)
    {
        using var h = new DownloadHarness(_server);
        h.Addresses["cdn.discordapp.com"] = [IPAddress.Parse(address)];
        _server.MapBytes("/a.png", Png);

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/a.png")));

        Assert.Equal($"Refused to download from cdn.discordapp.com: it resolves to a {kind} address.", error.Message);
        Assert.Equal(["cdn.discordapp.com:443"], h.Connections);
        Assert.Empty(h.Sockets);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Download_OnePublicAndOnePrivateAddress_Refused()
    {
        using var h = new DownloadHarness(_server);
        h.Addresses["cdn.discordapp.com"] = [DownloadHarness.PublicAddress, IPAddress.Parse("10.0.0.1")];
        _server.MapBytes("/a.png", Png);

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/a.png")));

        Assert.Contains("private address", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Sockets);
    }

    [Fact]
    public async Task Download_RedirectToAllowedNameReboundToMetadataService_Refused()
    {
        using var h = new DownloadHarness(_server);
        h.Addresses["media.discordapp.net"] = [IPAddress.Parse("169.254.169.254")];
        _server.MapRedirect("/start.png", "https://media.discordapp.net/latest/meta-data/");

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/start.png")));

        Assert.Contains("link-local address", error.Message, StringComparison.Ordinal);
        Assert.Equal(["cdn.discordapp.com/start.png"], _server.Requests);
        Assert.Equal([new IPEndPoint(DownloadHarness.PublicAddress, 443)], h.Sockets);
    }

    [Fact]
    public async Task Download_InsecureLoopbackAllowed_AllowedNameOnLoopbackIsServed()
    {
        using var h = new DownloadHarness(_server, o => o.AllowInsecureLoopback = true);
        h.Addresses["cdn.discordapp.com"] = [IPAddress.Loopback];
        _server.MapBytes("/a.png", Png);

        Assert.Equal(Png, await h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/a.png")));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    public async Task Download_InsecureLoopbackAllowed_PrivateAddressesStillRefused(string address)
    {
        using var h = new DownloadHarness(_server, o => o.AllowInsecureLoopback = true);
        h.Addresses["cdn.discordapp.com"] = [IPAddress.Parse(address)];

        await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/a.png")));

        Assert.Empty(h.Sockets);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("162.159.130.233")]
    [InlineData("151.101.1.140")]
    [InlineData("9.255.255.255")]  // just below 10/8
    [InlineData("11.0.0.0")]       // just above 10/8
    [InlineData("172.15.255.255")] // just below 172.16/12
    [InlineData("172.32.0.0")]     // just above 172.16/12
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("100.63.255.255")] // just below 100.64/10
    [InlineData("100.128.0.0")]    // just above 100.64/10
    [InlineData("169.253.255.255")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700::6810:84e5")]
    [InlineData("::ffff:8.8.8.8")]
    public void Restriction_PublicAddress_None(string address) =>
        Assert.Null(AddressPolicy.Restriction(IPAddress.Parse(address)));

    /// <summary>The registration serve uses: the downloads HttpClient from DI carries the check, with real name resolution
    /// ("localhost" allow-listed, https, so only the address check can refuse it; without it the answer is a TLS error).</summary>
    [Fact]
    public async Task RegisteredDownloader_AllowListedLocalhostOverHttps_RefusedAsLoopback()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Downloads:AllowedHosts:0"] = "localhost",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddSkateBotCore();
        await using var provider = services.BuildServiceProvider();
        _server.MapBytes("/a.png", Png);

        var error = await Assert.ThrowsAsync<DownloadException>(() =>
            provider.GetRequiredService<ImageDownloader>().DownloadAsync(new Uri($"https://localhost:{_server.HttpsPort}/a.png")));

        Assert.Equal("Refused to download from localhost: it resolves to a loopback address.", error.Message);
        Assert.Empty(_server.Requests);
    }
}
