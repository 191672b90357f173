using System.Net;
using System.Net.Sockets;

namespace SkateBot.Features.Downloads;

/// <summary>How downloads reach the network: name resolution and TCP connect. Tests replace both to route allow-listed
/// names to a server on 127.0.0.1 while the address check still sees the addresses the names "resolve" to.</summary>
public sealed class DownloadNetwork
{
    public Func<string, CancellationToken, Task<IPAddress[]>> Resolve { get; init; } = Dns.GetHostAddressesAsync;
    public Func<IPEndPoint, CancellationToken, ValueTask<Stream>> Connect { get; init; } = ConnectTcpAsync;

    private static async ValueTask<Stream> ConnectTcpAsync(IPEndPoint endPoint, CancellationToken ct)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>
/// The primary handler of the downloads HttpClient. The allow-list in <see cref="ImageDownloader"/> checks names; this
/// checks what a name resolves to, at connect time, on the very addresses connected to, so an allow-listed name that
/// resolves (or is rebound) to loopback, a private range or the metadata service is refused (see <see cref="AddressPolicy"/>).
/// </summary>
public static class DownloadHandler
{
    public static SocketsHttpHandler Create(DownloadOptions options, DownloadNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var net = network ?? new DownloadNetwork();
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // every hop is re-checked by ImageDownloader
            UseProxy = false, // a proxy would make the address check see the proxy, not the image host
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, options.AllowInsecureLoopback, net, ct),
        };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint target, bool allowLoopback, DownloadNetwork network, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(target.Host, out var literal) ? [literal] : await network.Resolve(target.Host, ct).ConfigureAwait(false);
        if (addresses.Length == 0) throw new DownloadException($"Could not download the image: {target.Host} has no address.");
        // All of them, not just the first: a name with one public and one private address is not a CDN.
        foreach (var address in addresses)
            if (!AddressPolicy.IsAllowed(address, allowLoopback, out var kind))
                throw new DownloadException($"Refused to download from {target.Host}: it resolves to a {kind} address.");
        Exception? last = null;
        foreach (var address in addresses)
        {
            try { return await network.Connect(new IPEndPoint(address, target.Port), ct).ConfigureAwait(false); }
            catch (SocketException e) { last = e; }
        }
        throw last!;
    }
}
