namespace SkateBot.Features;

/// <summary>
/// The exit code <c>serve</c> ends with, set by the feature that stops the host for a reason the operator must fix (a
/// rejected Discord token: 2, rejected Reddit credentials: 3). One instance per host instead of the process-wide
/// <see cref="Environment.ExitCode"/>, so two hosts in one process (tests, the sandbox) cannot set each other's.
/// </summary>
public sealed class ExitCode
{
    private int value;

    /// <summary>0 unless a feature failed; the first failure wins (a second one is usually a consequence of the first).</summary>
    public int Value => Volatile.Read(ref value);

    public void Fail(int code)
    {
        ArgumentOutOfRangeException.ThrowIfZero(code);
        Interlocked.CompareExchange(ref value, code, 0);
    }
}
