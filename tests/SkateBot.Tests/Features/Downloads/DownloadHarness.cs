using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SkateBot.Features.Downloads;

namespace SkateBot.Tests.Features.Downloads;

/// <summary>
/// An <see cref="ImageDownloader"/> on the production handler (<see cref="DownloadHandler"/>) whose network is replaced:
/// names "resolve" to the addresses in <see cref="Addresses"/> (the allow-listed CDN names to a public address by
/// default), and every connection lands on a <see cref="LocalImageServer"/> (port 443 on its https listener, 80 on its
/// http one, any other port as given). Connection attempts the handler was asked for are recorded as "host:port" in
/// <see cref="Connections"/>, and the sockets actually opened in <see cref="Sockets"/>, so a test can show that a refused
/// URL was never even connected to.
/// </summary>
public sealed class DownloadHarness : IDisposable
{
    /// <summary>A public address (Cloudflare, where Discord's CDN lives) the CDN names resolve to unless a test says otherwise.</summary>
    public static readonly IPAddress PublicAddress = IPAddress.Parse("162.159.130.233");
    private readonly ConcurrentQueue<string> _connections = new();
    private readonly ConcurrentQueue<IPEndPoint> _sockets = new();
    private readonly HttpClient _http;

    public DownloadHarness(LocalImageServer server, Action<DownloadOptions>? configure = null)
    {
        Server = server;
        Options = new DownloadOptions
        {
            AllowedHosts = ["cdn.discordapp.com", "media.discordapp.net", ".redd.it"],
            MaxBytes = 64 * 1024,
            // Far above what a download from 127.0.0.1 needs: at the start of a CI run, with every test assembly starting
            // at once, a first TLS download took over 5 s (the old value) and failed with a timeout instead of the
            // refusal under test. Tests of the time cap set their own.
            Timeout = TimeSpan.FromSeconds(30),
            MaxRedirects = 3,
        };
        configure?.Invoke(Options);
        foreach (var name in LocalImageServer.CertificateNames.Where(n => n != "localhost")) Addresses[name] = [PublicAddress];
        Addresses["localhost"] = [IPAddress.Loopback];
        var handler = DownloadHandler.Create(Options, new DownloadNetwork { Resolve = ResolveAsync, Connect = ConnectAsync });
        var guarded = handler.ConnectCallback!;
        handler.ConnectCallback = (context, ct) =>
        {
            _connections.Enqueue($"{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}");
            return guarded(context, ct);
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => server.Trusts(certificate);
        _http = new HttpClient(handler);
        Downloader = new ImageDownloader(_http, Microsoft.Extensions.Options.Options.Create(Options));
    }

    public LocalImageServer Server { get; }
    public DownloadOptions Options { get; }
    public ImageDownloader Downloader { get; }
    /// <summary>What each name resolves to; a test may change it (DNS rebinding) before downloading.</summary>
    public ConcurrentDictionary<string, IPAddress[]> Addresses { get; } = new(StringComparer.OrdinalIgnoreCase);
    public IReadOnlyList<string> Connections => _connections.ToArray();
    public IReadOnlyList<IPEndPoint> Sockets => _sockets.ToArray();

    private Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        Task.FromResult(Addresses.TryGetValue(host, out var addresses) ? addresses : throw new SocketException((int)SocketError.HostNotFound));

    private async ValueTask<Stream> ConnectAsync(IPEndPoint target, CancellationToken ct)
    {
        _sockets.Enqueue(target);
        var port = target.Port switch { 443 => Server.HttpsPort, 80 => Server.HttpPort, _ => target.Port };
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}
