using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SkateBot.Features.Downloads;

namespace SkateBot.Tests.Features.Downloads;

/// <summary>
/// The downloader against a real https server on 127.0.0.1 (self-signed certificate made at test time; the allow-listed
/// names are routed to it by the harness): what it fetches, what it refuses before connecting, and how it follows
/// redirects. Limits on size and time are in <see cref="ImageDownloaderLimitTests"/>.
/// </summary>
public sealed class ImageDownloaderTests : IAsyncLifetime
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
    private LocalImageServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalImageServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("https://cdn.discordapp.com/a.png")]
    [InlineData("https://CDN.DiscordApp.com/a.png")]
    [InlineData("https://i.redd.it/a.png")] // ".redd.it" allows its sub-domains
    public async Task Download_AllowedHttpsHost_ReturnsTheBytes(string url)
    {
        using var h = new DownloadHarness(_server);
        _server.MapBytes("/a.png", Png);

        var bytes = await h.Downloader.DownloadAsync(new Uri(url));

        Assert.Equal(Png, bytes);
    }

    [Theory]
    [InlineData("http://cdn.discordapp.com/a.png", "only https")]
    [InlineData("ftp://cdn.discordapp.com/a.png", "scheme ftp")]
    [InlineData("file:///etc/passwd", "")]
    [InlineData("https://evil.example/a.png", "not in Downloads:AllowedHosts")]
    [InlineData("https://cdn.discordapp.com.evil.example/a.png", "not in Downloads:AllowedHosts")]
    [InlineData("https://evilredd.it/a.png", "not in Downloads:AllowedHosts")]
    [InlineData("https://cdn.discordapp.com@evil.example/a.png", "not in Downloads:AllowedHosts")]
    [InlineData("https://cdn.discordapp.com./a.png", "not in Downloads:AllowedHosts")]
    [InlineData("https://127.0.0.1/a.png", "not in Downloads:AllowedHosts")]
    [InlineData("https://localhost/a.png", "not in Downloads:AllowedHosts")]
    [InlineData("http://127.0.0.1/a.png", "only https")] // loopback http needs Downloads:AllowInsecureLoopback
    [InlineData("https://169.254.169.254/latest/meta-data/", "not in Downloads:AllowedHosts")]
    [InlineData("https://10.0.0.1/a.png", "not in Downloads:AllowedHosts")]
    [InlineData("https://[::1]/a.png", "not in Downloads:AllowedHosts")]
    public async Task Download_UrlNotAllowed_RefusedWithoutConnecting(string url, string reason)
    {
        using var h = new DownloadHarness(_server);
        _server.MapBytes("/a.png", Png);

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri(url)));

        Assert.StartsWith("Refused to download", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Connections);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Download_InsecureLoopbackAllowed_FetchesPlainHttpFrom127()
    {
        using var h = new DownloadHarness(_server, o => o.AllowInsecureLoopback = true);
        _server.MapBytes("/a.png", Png);

        var bytes = await h.Downloader.DownloadAsync(new Uri($"http://127.0.0.1:{_server.HttpPort}/a.png"));

        Assert.Equal(Png, bytes);
    }

    // Each target would be served if it were followed: "{http}"/"{https}" are the local server's real ports, and the
    // harness routes every other name to the same server, so only the downloader's check stands in the way.
    [Theory]
    [InlineData("http://127.0.0.1:{http}/a.png")]
    [InlineData("https://127.0.0.1:{https}/a.png")]
    [InlineData("http://localhost:{http}/a.png")]
    [InlineData("https://[::1]:{https}/a.png")]
    [InlineData("https://[::ffff:127.0.0.1]:{https}/a.png")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.1.2.3/a.png")]
    [InlineData("https://172.16.0.1/a.png")]
    [InlineData("https://172.31.255.254/a.png")]
    [InlineData("https://192.168.1.1/a.png")]
    [InlineData("https://cdn.discordapp.com.evil.example/a.png")]
    [InlineData("https://evil.example/a.png")]
    [InlineData("http://cdn.discordapp.com/a.png")] // a downgrade to plain http on an allowed host
    public async Task Download_RedirectOutsideAllowList_RefusedBeforeFollowing(string target)
    {
        using var h = new DownloadHarness(_server);
        _server.MapBytes("/a.png", Png);
        _server.MapRedirect("/start.png", target.Replace("{http}", $"{_server.HttpPort}").Replace("{https}", $"{_server.HttpsPort}"));

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/start.png")));

        Assert.StartsWith("Refused to download", error.Message, StringComparison.Ordinal);
        Assert.Equal(["cdn.discordapp.com/start.png"], _server.Requests);
        Assert.Equal(["cdn.discordapp.com:443"], h.Connections);
    }

    [Theory]
    [InlineData(301, "https://media.discordapp.net/a.png", "media.discordapp.net/a.png")]
    [InlineData(302, "/a.png", "cdn.discordapp.com/a.png")] // relative Location, resolved against the current URL
    [InlineData(307, "https://i.redd.it/a.png", "i.redd.it/a.png")]
    [InlineData(308, "a.png", "cdn.discordapp.com/a.png")]
    public async Task Download_RedirectWithinAllowList_Followed(int status, string location, string fetched)
    {
        using var h = new DownloadHarness(_server);
        _server.MapBytes("/a.png", Png);
        _server.MapRedirect("/start.png", location, status);

        var bytes = await h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/start.png"));

        Assert.Equal(Png, bytes);
        Assert.Equal(["cdn.discordapp.com/start.png", fetched], _server.Requests);
    }

    [Theory]
    [InlineData(3, 3, true)]
    [InlineData(3, 4, false)]
    [InlineData(0, 1, false)]
    [InlineData(0, 0, true)]
    public async Task Download_RedirectChain_AllowedUpToMaxRedirects(int maxRedirects, int hops, bool succeeds)
    {
        using var h = new DownloadHarness(_server, o => o.MaxRedirects = maxRedirects);
        _server.MapBytes("/hop0.png", Png);
        for (var i = 1; i <= hops; i++) _server.MapRedirect($"/hop{i}.png", $"/hop{i - 1}.png");
        var start = new Uri($"https://cdn.discordapp.com/hop{hops}.png");

        if (succeeds)
            Assert.Equal(Png, await h.Downloader.DownloadAsync(start));
        else
        {
            var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(start));
            Assert.Contains("Too many redirects", error.Message, StringComparison.Ordinal);
            Assert.Equal(maxRedirects + 1, _server.Requests.Count); // the hop over the limit is not fetched
        }
    }

    [Fact]
    public async Task Download_RedirectLoop_StopsAtTheLimit()
    {
        using var h = new DownloadHarness(_server);
        _server.MapRedirect("/loop.png", "/loop.png");
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/loop.png")));

        Assert.Contains("Too many redirects", error.Message, StringComparison.Ordinal);
        Assert.Equal(h.Options.MaxRedirects + 1, _server.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(302)]
    [InlineData(301)]
    public async Task Download_RedirectWithoutLocation_Refused(int status)
    {
        using var h = new DownloadHarness(_server);
        _server.Map("/start.png", c => { c.Response.StatusCode = status; return Task.CompletedTask; });

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/start.png")));

        Assert.Contains("without a Location", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(403)]
    public async Task Download_ErrorStatus_DownloadExceptionNamingIt(int status)
    {
        using var h = new DownloadHarness(_server);
        _server.Map("/a.png", c => { c.Response.StatusCode = status; return Task.CompletedTask; });

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/a.png")));

        Assert.Contains($"answered {status}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_CertificateNotTrusted_DownloadException()
    {
        // The system's own validation (no test callback): the self-signed certificate is not trusted.
        using var h = new DownloadHarness(_server);
        _server.MapBytes("/a.png", Png);
        using var strict = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, _server.HttpsPort, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        var downloader = new ImageDownloader(strict, Microsoft.Extensions.Options.Options.Create(h.Options));

        var error = await Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/a.png")));

        Assert.StartsWith("Could not download", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }
}
