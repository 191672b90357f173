using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SkateBot.Features.Downloads;

namespace SkateBot.Tests.Features.Downloads;

/// <summary>
/// An <see cref="ImageDownloader"/> whose connections all land on a <see cref="LocalImageServer"/>: a name's port 443
/// goes to its https listener, port 80 to its http one, 127.0.0.1:port straight through. Every connection attempt is
/// recorded as "host:port", so a test can show that a refused URL was never even connected to.
/// </summary>
public sealed class DownloadHarness : IDisposable
{
    private readonly ConcurrentQueue<string> _connections = new();
    private readonly HttpClient _http;

    public DownloadHarness(LocalImageServer server, Action<DownloadOptions>? configure = null)
    {
        Server = server;
        Options = new DownloadOptions
        {
            AllowedHosts = ["cdn.discordapp.com", "media.discordapp.net", ".redd.it"],
            MaxBytes = 64 * 1024,
            Timeout = TimeSpan.FromSeconds(5),
            MaxRedirects = 3,
        };
        configure?.Invoke(Options);
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectCallback = ConnectAsync };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => server.Trusts(certificate);
        _http = new HttpClient(handler);
        Downloader = new ImageDownloader(_http, Microsoft.Extensions.Options.Options.Create(Options));
    }

    public LocalImageServer Server { get; }
    public DownloadOptions Options { get; }
    public ImageDownloader Downloader { get; }
    public IReadOnlyList<string> Connections => _connections.ToArray();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var target = context.DnsEndPoint;
        _connections.Enqueue($"{target.Host}:{target.Port}");
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
