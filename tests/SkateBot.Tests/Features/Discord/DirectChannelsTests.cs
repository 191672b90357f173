using Microsoft.Extensions.Time.Testing;
using SkateBot.Features.Discord;
using SkateBot.Storage;
using SkateBot.Testing.Paths;

namespace SkateBot.Tests.Features.Discord;

public sealed class DirectChannelsTests
{
    [Fact]
    public void Recent_KeepsTheNewestChannelsOnly_AndSurvivesAReopen()
    {
        using var dir = new TempDirectory("skatebot-dm");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        using (var db = SkateDatabase.Open(dir.Path, time))
        {
            var channels = new DirectChannels(db, time);
            for (var i = 0; i < DirectChannels.MaxKept + 5; i++)
            {
                channels.Seen($"{600000000000000100 + i}");
                time.Advance(TimeSpan.FromMinutes(1));
            }
            channels.Seen("600000000000000100"); // the oldest, active again: now the newest
        }

        using (var db = SkateDatabase.Open(dir.Path, time))
        {
            var recent = new DirectChannels(db, time).Recent(TimeSpan.FromDays(30), 100);
            Assert.Equal(DirectChannels.MaxKept, recent.Count);
            Assert.Equal("600000000000000100", recent[0]);
            Assert.Equal("600000000000000154", recent[1]);
            Assert.DoesNotContain("600000000000000105", recent); // pushed out by newer ones
            Assert.Equal(3, new DirectChannels(db, time).Recent(TimeSpan.FromDays(30), 3).Count);
        }
    }

    [Fact]
    public void Recent_LeavesOutChannelsQuietForLongerThanAsked()
    {
        using var dir = new TempDirectory("skatebot-dm");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        using var db = SkateDatabase.Open(dir.Path, time);
        var channels = new DirectChannels(db, time);
        channels.Seen("600000000000000001");
        time.Advance(TimeSpan.FromDays(31));
        channels.Seen("600000000000000002");

        Assert.Equal(["600000000000000002"], channels.Recent(TimeSpan.FromDays(30), 20));
        Assert.Equal(["600000000000000002", "600000000000000001"], channels.Recent(TimeSpan.FromDays(32), 20));
    }
}
