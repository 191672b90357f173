using Microsoft.Extensions.DependencyInjection;
using SkateBot.Features.Observability;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>/metrics counts what the Discord side does: gateway sessions and resumes, API requests by status, votes.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class DiscordMetricsTests(TinyModelFixture model)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Metrics_AfterAPhotoAVoteAndAResume_CountSessionsRequestsAndVotes()
    {
        await using var h = await DiscordHarness.StartAsync(model, new Dictionary<string, string?> { ["Observability:Url"] = "http://127.0.0.1:0" });
        var reply = await h.ReplyToAsync(await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto()));
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, (string)reply["id"]!, "✅", guildId: DiscordHarness.Guild));
        await DiscordHarness.WaitUntilAsync(() => h.Fake.RequestsTo("PATCH", $"/channels/*/messages/{(string)reply["id"]!}").Count > 0, "the tally edit");
        var resumes = h.Fake.ResumeCount;
        h.Fake.DropConnection();
        await DiscordHarness.WaitUntilAsync(() => h.Fake.ResumeCount > resumes, "the resume");
        var address = h.Host.Services.GetRequiredService<ObservabilityServer>().Address!;

        Dictionary<string, double> samples = [];
        await DiscordHarness.WaitUntilAsync(() =>
        {
            samples = PrometheusText.Parse(Http.GetStringAsync(new Uri(address, "/metrics")).GetAwaiter().GetResult());
            return samples.GetValueOrDefault("skatebot_gateway_sessions_total{kind=\"resume\"}") >= 1;
        }, "the RESUMED count");

        Assert.Equal(1, samples["skatebot_gateway_sessions_total{kind=\"identify\"}"]);
        Assert.Equal(1, samples["skatebot_label_votes_total{kind=\"vote\"}"]);
        Assert.True(samples.GetValueOrDefault("skatebot_api_requests_total{service=\"discord\",status=\"200\"}") >= 4, // gateway/bot, commands, reply, reactions, edit
            string.Join(", ", samples.Where(s => s.Key.StartsWith("skatebot_api", StringComparison.Ordinal))));
    }
}
