using System.Diagnostics;
using SkateBot.Features.Downloads;

namespace SkateBot.Tests.Features.Downloads;

/// <summary>
/// Downloads:MaxBytes and Downloads:Timeout against hostile servers on 127.0.0.1: an announced oversized body is refused
/// at the headers, an unannounced one is cut off while streaming (the server sees its writes fail long before it would
/// have finished), and a server that trickles bytes or never answers is stopped by the total time cap.
/// </summary>
public sealed class ImageDownloaderLimitTests : IAsyncLifetime
{
    private const int Cap = 64 * 1024;
    private const long Endless = 256L * 1024 * 1024; // what a server that is never stopped would send
    private LocalImageServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalImageServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(Cap, true)]
    [InlineData(Cap + 1, false)]
    public async Task Download_ContentLengthAtAndOverTheCap_OnlyTheOverOneRefused(int length, bool succeeds)
    {
        using var h = new DownloadHarness(_server, o => o.MaxBytes = Cap);
        _server.MapBytes("/a.png", new byte[length]);

        if (succeeds)
            Assert.Equal(length, (await h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/a.png"))).Length);
        else
        {
            var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/a.png")));
            Assert.Contains("above the", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Download_AnnouncedHugeBody_RefusedAtTheHeadersWithoutReadingIt()
    {
        using var h = new DownloadHarness(_server, o => o.MaxBytes = Cap);
        _server.Map("/huge.png", async c =>
        {
            c.Response.ContentLength = Endless;
            await SendForeverAsync(c, 16 * 1024, TimeSpan.FromMilliseconds(20));
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/huge.png")));

        Assert.Contains("above the", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.True(_server.BytesWritten < 32L * 1024 * 1024, $"the server wrote {_server.BytesWritten} bytes");
    }

    [Fact]
    public async Task Download_EndlessChunkedBodyWithoutContentLength_CutOffWhileStreaming()
    {
        using var h = new DownloadHarness(_server, o => { o.MaxBytes = Cap; o.Timeout = TimeSpan.FromSeconds(30); });
        _server.Map("/endless.png", async c =>
        {
            await c.Response.StartAsync(c.RequestAborted); // headers out, no Content-Length: chunked
            // A pause between chunks: once the client hangs up, writes to the dead connection complete at once until
            // Kestrel signals RequestAborted, and with no pause a loaded CI box counted 172 MB of such writes in 34 ms.
            // A client that read on at 16 KB a millisecond would still take the server past 32 MB in about two seconds.
            await SendForeverAsync(c, 16 * 1024, TimeSpan.FromMilliseconds(1));
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/endless.png")));

        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        await WaitForAsync(() => _server.BytesWritten > 0);
        // Socket buffers on loopback hold a few MB; a client that kept reading would let the server reach Endless.
        Assert.True(_server.BytesWritten < 32L * 1024 * 1024, $"the server wrote {_server.BytesWritten} bytes");
    }

    [Fact]
    public async Task Download_ServerTricklesBytes_StoppedByTheTotalTimeCap()
    {
        using var h = new DownloadHarness(_server, o => { o.MaxBytes = Cap; o.Timeout = TimeSpan.FromSeconds(1); });
        // 1 byte every 100 ms: never idle long enough for a per-read timeout, far too slow for the total one.
        _server.Map("/slow.png", async c =>
        {
            c.Response.ContentLength = 1000;
            await SendForeverAsync(c, 1, TimeSpan.FromMilliseconds(100));
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/slow.png")));

        Assert.Contains("took longer than 1 s", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.True(_server.BytesWritten > 0, "the server never got to trickle"); // the cap hit the body, not the headers
    }

    [Fact]
    public async Task Download_ServerNeverAnswers_StoppedByTheTotalTimeCap()
    {
        using var h = new DownloadHarness(_server, o => o.Timeout = TimeSpan.FromSeconds(1));
        _server.Map("/silent.png", c => Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/silent.png")));

        Assert.Contains("took longer than 1 s", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Download_TimeCapCoversRedirectHops_NotEachHopAfresh()
    {
        using var h = new DownloadHarness(_server, o => o.Timeout = TimeSpan.FromSeconds(1));
        for (var i = 1; i <= 3; i++)
        {
            var next = $"/slow{i - 1}.png";
            _server.Map($"/slow{i}.png", async c =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(450), c.RequestAborted);
                c.Response.StatusCode = 302;
                c.Response.Headers.Location = next;
            });
        }
        _server.MapBytes("/slow0.png", [1, 2, 3]);

        var error = await Assert.ThrowsAsync<DownloadException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/slow3.png")));

        Assert.Contains("took longer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_CallerCancels_OperationCanceledNotADownloadFailure()
    {
        using var h = new DownloadHarness(_server);
        _server.Map("/silent.png", c => Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Downloader.DownloadAsync(new Uri("https://cdn.discordapp.com/silent.png"), cts.Token));
    }

    private async Task SendForeverAsync(Microsoft.AspNetCore.Http.HttpContext context, int chunk, TimeSpan pause)
    {
        var bytes = new byte[chunk];
        for (long sent = 0; sent < Endless && !context.RequestAborted.IsCancellationRequested; sent += chunk)
        {
            await _server.WriteAsync(context, bytes);
            if (pause > TimeSpan.Zero) await Task.Delay(pause, context.RequestAborted);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++) await Task.Delay(20);
    }
}
