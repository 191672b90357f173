using Microsoft.Extensions.Time.Testing;
using SkateBot.Sandbox.Discord;

namespace SkateBot.Sandbox.Tests.Discord;

/// <summary>The Discord stand-in reads the clock only through its options' TimeProvider, so tests can move it.</summary>
public sealed class FakeDiscordClockTests
{
    [Fact]
    public async Task UserMessage_FakeClock_IsStampedWithItsTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var discord = FakeDiscordServer.CreateMounted("http://127.0.0.1:1", new FakeDiscordOptions { TimeProvider = time });

        var first = discord.UserMessage("500000000000000001", "hi");
        time.Advance(TimeSpan.FromMinutes(5));
        var second = discord.UserMessage("500000000000000001", "again");

        Assert.Equal("2025-06-01T12:00:00.0000000+00:00", (string?)first["timestamp"]);
        Assert.Equal("2025-06-01T12:05:00.0000000+00:00", (string?)second["timestamp"]);
    }
}
