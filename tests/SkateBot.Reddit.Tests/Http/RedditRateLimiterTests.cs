using Microsoft.Extensions.Time.Testing;

namespace SkateBot.Reddit.Tests.Http;

public sealed class RedditRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 14, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AcquireAsync_NoHeadersYet_SpreadsDefaultBudgetOverAMinute()
    {
        var limiter = new RedditRateLimiter(_time, defaultRequestsPerMinute: 100);
        await limiter.AcquireAsync(CancellationToken.None); // first one is immediate
        var second = limiter.AcquireAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(599));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AcquireAsync_DefaultBudget_GrantsEverySixSecondsAndRefillsAfterTheMinute()
    {
        var limiter = new RedditRateLimiter(_time, defaultRequestsPerMinute: 10);
        var start = _time.GetUtcNow();
        for (var i = 0; i < 25; i++)
            await AssertGrantedAt(limiter.AcquireAsync(CancellationToken.None).AsTask(), start + TimeSpan.FromSeconds(6 * i));
    }

    [Theory]
    [InlineData("0.0")]
    [InlineData("0")]
    public async Task AcquireAsync_RemainingZero_WaitsForResetPlusMargin(string remaining)
    {
        var limiter = new RedditRateLimiter(_time);
        await limiter.AcquireAsync(CancellationToken.None);
        limiter.Update(remaining, "1000", "42");
        var next = limiter.AcquireAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(42));
        Assert.False(next.IsCompleted);
        _time.Advance(RedditRateLimiter.ResetMargin);
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("599.0", 599)] // float string, corpus file 12
    [InlineData("990", 990)]   // integer string, corpus file 26
    [InlineData("3.7", 3)]     // fractional budget rounds down
    public void Update_RemainingHeaderForms_AreParsed(string header, double expected)
    {
        var limiter = new RedditRateLimiter(_time);
        limiter.Update(header, "1", "82");
        Assert.Equal(expected, limiter.Remaining);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(82) + RedditRateLimiter.ResetMargin, limiter.WindowEnd);
    }

    [Fact]
    public void Update_MissingOrGarbageHeaders_KeepsEstimate()
    {
        var limiter = new RedditRateLimiter(_time);
        limiter.Update("10", "5", "100");
        limiter.Update(null, null, null);
        limiter.Update("abc", "1", "5");
        Assert.Equal(10, limiter.Remaining);
    }

    [Fact]
    public async Task AcquireAsync_FewRemaining_SpacesRequestsEvenlyUntilReset()
    {
        var limiter = new RedditRateLimiter(_time);
        limiter.Update("4", "996", "40"); // 4 left for 41 s (40 + margin): one every 10.25 s, the fifth in the next window
        var start = _time.GetUtcNow();
        foreach (var seconds in new[] { 0, 10.25, 20.5, 30.75, 41 })
            await AssertGrantedAt(limiter.AcquireAsync(CancellationToken.None).AsTask(), start + TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public async Task PauseFor_BlocksUntilDelayPassed()
    {
        var limiter = new RedditRateLimiter(_time);
        limiter.PauseFor(TimeSpan.FromSeconds(4));
        var task = limiter.AcquireAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(task.IsCompleted);
        _time.Advance(RedditRateLimiter.ResetMargin);
        await task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task PauseFor_InAWindowWithBudget_ResumesAfterPauseNotAtWindowEnd()
    {
        var limiter = new RedditRateLimiter(_time);
        limiter.Update("999.0", "1", "600");
        limiter.PauseFor(TimeSpan.FromSeconds(4));
        await AssertGrantedAt(limiter.AcquireAsync(CancellationToken.None).AsTask(), _time.GetUtcNow() + TimeSpan.FromSeconds(4) + RedditRateLimiter.ResetMargin);
        Assert.Equal(998, limiter.Remaining);
    }

    /// <summary>Asserts the acquisition is still waiting 1 ms before <paramref name="at"/> and done at it.</summary>
    private async Task AssertGrantedAt(Task acquire, DateTimeOffset at)
    {
        var now = _time.GetUtcNow();
        if (at > now)
        {
            _time.Advance(at - now - TimeSpan.FromMilliseconds(1));
            await Task.WhenAny(acquire, Task.Delay(20)); // give a wrongly fired continuation the chance to run
            Assert.False(acquire.IsCompleted, $"granted before {at:HH:mm:ss.fff}");
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
        await acquire.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_Throws()
    {
        var limiter = new RedditRateLimiter(_time);
        limiter.PauseFor(TimeSpan.FromMinutes(1));
        using var cts = new CancellationTokenSource();
        var task = limiter.AcquireAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }
}
