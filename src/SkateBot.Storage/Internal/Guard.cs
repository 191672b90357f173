using System.Runtime.CompilerServices;

namespace SkateBot.Storage;

/// <summary>Argument checks shared by the stores, so bad input fails with a message naming the argument.</summary>
internal static class Guard
{
    /// <summary>Checks a SHA-256 hex string and returns it in lower case (the stored form).</summary>
    public static string Sha(string? sha, [CallerArgumentExpression(nameof(sha))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(sha, name);
        if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit))
        {
            var shown = sha.Length > 80 ? sha[..80] + "…" : sha;
            throw new ArgumentException($"'{shown}' is not a SHA-256 hex string (64 hexadecimal digits).", name);
        }

        return sha.ToLowerInvariant();
    }

    public static string Text(string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        return value;
    }

    public static int MinVotes(int minVotes, [CallerArgumentExpression(nameof(minVotes))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minVotes, 1, name);
        return minVotes;
    }
}
