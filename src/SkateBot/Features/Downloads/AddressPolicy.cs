using System.Net;
using System.Net.Sockets;

namespace SkateBot.Features.Downloads;

/// <summary>
/// Which resolved addresses a download may connect to: public unicast only. An allow-listed name that resolves to
/// loopback, a private range, link-local (169.254.169.254 is the cloud metadata service) or the like is a DNS-rebinding
/// or misconfiguration hazard (RFC 6890 special-purpose ranges), so the connection is refused; loopback alone is allowed
/// with Downloads:AllowInsecureLoopback (the sandbox and tests).
/// </summary>
public static class AddressPolicy
{
    /// <summary>Null for a public address, otherwise what kind of address it is ("private", "loopback", ...).</summary>
    public static string? Restriction(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6) return Restriction(address.MapToIPv4());
            if (address.Equals(IPAddress.IPv6Loopback)) return "loopback";
            if (address.Equals(IPAddress.IPv6Any)) return "unspecified";
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "link-local";
            if (address.IsIPv6UniqueLocal) return "private";
            if (address.IsIPv6Multicast) return "multicast";
            var bytes = address.GetAddressBytes();
            // ::a.b.c.d (IPv4-compatible) and 64:ff9b::a.b.c.d (NAT64) reach the embedded IPv4 address.
            if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 || bytes.AsSpan(0, 12).SequenceEqual(Nat64Prefix))
                return Restriction(new IPAddress(bytes.AsSpan(12, 4)));
            return null;
        }
        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 => "unspecified",
            10 => "private",
            127 => "loopback",
            100 when (b[1] & 0xC0) == 64 => "shared (carrier-grade NAT)",
            169 when b[1] == 254 => "link-local",
            172 when (b[1] & 0xF0) == 16 => "private",
            192 when b[1] == 168 => "private",
            >= 224 and < 240 => "multicast",
            >= 240 => "reserved",
            _ => null,
        };
    }

    /// <summary>True when a download may connect to <paramref name="address"/>; otherwise <paramref name="kind"/> says why not.</summary>
    public static bool IsAllowed(IPAddress address, bool allowLoopback, out string kind)
    {
        kind = Restriction(address) ?? "";
        return kind.Length == 0 || (allowLoopback && kind == "loopback");
    }

    private static ReadOnlySpan<byte> Nat64Prefix => [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
}
