using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SkateBot.Sandbox.Tests.Support;

/// <summary>The addresses listening on a TCP port, from Linux's /proc/net/tcp and tcp6 (every process, every interface).</summary>
public static class ListeningSockets
{
    private const string Listen = "0A";

    public static bool Available => File.Exists("/proc/net/tcp");

    public static IReadOnlyList<IPAddress> On(int port)
    {
        var result = new List<IPAddress>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != Listen) continue;
                var (address, portHex) = (fields[1][..fields[1].IndexOf(':', StringComparison.Ordinal)], fields[1][(fields[1].IndexOf(':', StringComparison.Ordinal) + 1)..]);
                if (int.Parse(portHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port) continue;
                result.Add(Parse(address));
            }
        }
        return result;
    }

    /// <summary>True when nothing accepts connections on 127.0.0.1:<paramref name="port"/> and the port can be bound again.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // The kernel prints each 32-bit word of the address in host (little-endian) order.
    private static IPAddress Parse(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
            for (var b = 0; b < 4; b++)
                bytes[word * 4 + b] = byte.Parse(hex.AsSpan(word * 8 + (3 - b) * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new IPAddress(bytes);
    }
}
