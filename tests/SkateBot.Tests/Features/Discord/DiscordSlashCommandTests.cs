using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SkateBot.Features.Classification;
using SkateBot.Features.Retraining;
using SkateBot.Sandbox.Discord;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.RedditScanning;
using SkateBot.Vision.Samples;

namespace SkateBot.Tests.Features.Discord;

/// <summary>/classify, /stats and /retrain through the real host: a deferred answer (type 5) first, then an edit.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class DiscordSlashCommandTests(TinyModelFixture model)
{
    private const int Deferred = 5, ChannelMessage = 4, Ephemeral = 64;

    [Fact]
    public async Task Classify_WithAnAttachment_DefersThenEditsInThePredictionAndAddsTheReactions()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var bytes = h.NewPhoto();
        var photo = h.Fake.CreateAttachment(DiscordHarness.WatchedChannel, "mine.jpg", bytes, "image/jpeg", 80, 60);
        var slash = h.Fake.SlashCommand("classify", DiscordHarness.WatchedChannel, attachment: photo);

        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);

        var token = (string)slash["token"]!;
        var original = await OriginalWithEmbedAsync(h, token);
        Assert.Equal(Deferred, h.Fake.InteractionResponseType(token));
        Assert.Contains($"model `{TinyModelFixture.Version}`", (string)original["embeds"]![0]!["description"]!, StringComparison.Ordinal);
        await DiscordHarness.WaitUntilAsync(() => h.Fake.BotReactions.Count(r => r.MessageId == (string)original["id"]!) == 2, "the reactions");
        Assert.Equal(["✅", "❌"], h.Fake.BotReactions.Where(r => r.MessageId == (string)original["id"]!).Select(r => r.Emoji));
        var edit = h.Fake.RequestsTo("PATCH", $"/webhooks/*/{token}/messages/@original").First();
        Assert.Equal(0, edit.Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());

        // The answer takes corrections like any reply (in the channel Discord reports for the answer).
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, (string)original["channel_id"]!, (string)original["id"]!, "❌", guildId: DiscordHarness.Guild));
        var sha = ClassificationPipeline.Sha256(bytes);
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).Count == 1, "the vote on the /classify answer");
    }

    [Fact]
    public async Task Classify_SeenTooLateToAnswerAsAnInteraction_AnswersInTheChannelNamingThePerson()
    {
        // Discord no longer takes any answer to the interaction (404 10062), as when it is replayed after a reconnect.
        await using var h = await DiscordHarness.StartAsync(model, fakeOptions: new FakeDiscordOptions { InteractionAnswerWithin = TimeSpan.Zero });
        var bytes = h.NewPhoto();
        var photo = h.Fake.CreateAttachment(DiscordHarness.WatchedChannel, "late.jpg", bytes, "image/jpeg", 80, 60);
        var slash = h.Fake.SlashCommand("classify", DiscordHarness.WatchedChannel, attachment: photo);

        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);

        JsonObject? answer = null;
        await DiscordHarness.WaitUntilAsync(() => (answer = h.Fake.MessagesIn(DiscordHarness.WatchedChannel)
            .FirstOrDefault(m => ((string?)m["content"] ?? "").Contains("/classify", StringComparison.Ordinal))) is not null
            && h.Fake.BotReactions.Count(r => r.MessageId == (string)answer["id"]!) == 2, "the late /classify answer in the channel");
        Assert.Null(h.Fake.InteractionResponseType((string)slash["token"]!)); // Discord took no callback
        Assert.StartsWith($"<@{DiscordHarness.User}> ", (string)answer!["content"]!, StringComparison.Ordinal);
        Assert.Contains($"model `{TinyModelFixture.Version}`", (string)answer["embeds"]![0]!["description"]!, StringComparison.Ordinal);
        var post = h.Fake.RequestsTo("POST", $"/channels/{DiscordHarness.WatchedChannel}/messages").Single();
        Assert.Equal(0, post.Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength()); // named, not pinged

        // It takes corrections like any answer.
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, (string)answer["id"]!, "❌", guildId: DiscordHarness.Guild));
        var sha = ClassificationPipeline.Sha256(bytes);
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).Count == 1, "the vote on the late answer");
    }

    [Fact]
    public async Task Classify_WithoutAnAttachment_AnswersEphemerallyHowToUseIt()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var slash = h.Fake.SlashCommand("classify", DiscordHarness.WatchedChannel);

        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);

        var token = (string)slash["token"]!;
        var callback = await h.Fake.WaitForRequestAsync(r => r.Method == "POST" && r.Path.Contains(token, StringComparison.Ordinal), DiscordHarness.Patience);
        Assert.Equal(ChannelMessage, callback.Json.GetProperty("type").GetInt32());
        Assert.Equal(Ephemeral, callback.Json.GetProperty("data").GetProperty("flags").GetInt32());
    }

    [Fact]
    public async Task Stats_DefersThenEditsInAnEmbedAboutTheServingModel()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var slash = h.Fake.SlashCommand("stats", DiscordHarness.WatchedChannel);

        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);

        var token = (string)slash["token"]!;
        var original = await OriginalWithEmbedAsync(h, token);
        Assert.Equal(Deferred, h.Fake.InteractionResponseType(token));
        Assert.Equal($"Model {TinyModelFixture.Version}", (string)original["embeds"]![0]!["title"]!);
    }

    [Fact]
    public async Task Stats_SeenTooLateToAnswerAsAnInteraction_AnswersInTheChannelNamingThePerson()
    {
        await using var h = await DiscordHarness.StartAsync(model, fakeOptions: new FakeDiscordOptions { InteractionAnswerWithin = TimeSpan.Zero });
        var slash = h.Fake.SlashCommand("stats", DiscordHarness.WatchedChannel);

        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);

        var answer = await LateAnswerAsync(h, "/stats", DiscordHarness.Patience);
        Assert.Null(h.Fake.InteractionResponseType((string)slash["token"]!)); // Discord took no callback
        Assert.StartsWith($"<@{DiscordHarness.User}> ", (string)answer["content"]!, StringComparison.Ordinal);
        Assert.Equal($"Model {TinyModelFixture.Version}", (string)answer["embeds"]![0]!["title"]!);
        var post = h.Fake.RequestsTo("POST", $"/channels/{DiscordHarness.WatchedChannel}/messages").Single();
        Assert.Equal(0, post.Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength()); // named, not pinged
    }

    [Fact]
    public async Task Stats_WhoseTokenExpiredBeforeTheAnswer_AnswersInTheChannelNamingThePerson()
    {
        // Deferred in time, but the token no longer takes the edit (Discord: 15 minutes, as for a long /retrain).
        await using var h = await DiscordHarness.StartAsync(model, fakeOptions: new FakeDiscordOptions { InteractionTokenLifetime = TimeSpan.Zero });
        var slash = h.Fake.SlashCommand("stats", DiscordHarness.WatchedChannel);

        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);

        var answer = await LateAnswerAsync(h, "/stats", DiscordHarness.Patience);
        Assert.Equal(Deferred, h.Fake.InteractionResponseType((string)slash["token"]!));
        Assert.StartsWith($"<@{DiscordHarness.User}> ", (string)answer["content"]!, StringComparison.Ordinal);
        Assert.Equal($"Model {TinyModelFixture.Version}", (string)answer["embeds"]![0]!["title"]!);
        Assert.Contains(h.Logs.Entries, e => e.Message.Contains("Invalid Webhook Token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retrain_ByANonOperator_IsRefusedEphemerallyAndNothingTrains()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var slash = h.Fake.SlashCommand("retrain", DiscordHarness.WatchedChannel, userId: DiscordHarness.User);

        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);

        var token = (string)slash["token"]!;
        var callback = await h.Fake.WaitForRequestAsync(r => r.Method == "POST" && r.Path.Contains(token, StringComparison.Ordinal), DiscordHarness.Patience);
        Assert.Equal(ChannelMessage, callback.Json.GetProperty("type").GetInt32());
        Assert.Equal(Ephemeral, callback.Json.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Contains("Only operators", callback.Json.GetProperty("data").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.False(h.Host.Services.GetRequiredService<RetrainingService>().IsRunning);
        Assert.Single(h.Db.Models.List()); // the tiny champion only: no challenger was trained
        Assert.DoesNotContain(h.Logs.Entries, e => e.Message.StartsWith("Retraining started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retrain_ByAnOperator_DefersThenEditsInTheOutcome()
    {
        using var samples = new TempDirectory("skatebot-discord-samples");
        await using var h = await StartForRetrainAsync(samples);
        var slash = h.Fake.SlashCommand("retrain", DiscordHarness.WatchedChannel, userId: DiscordHarness.Operator);

        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);

        var token = (string)slash["token"]!;
        var original = await OriginalWithEmbedAsync(h, token, RetrainPatience);
        Assert.Equal(Deferred, h.Fake.InteractionResponseType(token));
        var title = (string)original["embeds"]![0]!["title"]!;
        Assert.True(title is $"Retraining {RetrainStatus.Promoted}" or $"Retraining {RetrainStatus.Rejected}", $"{title}: {original["embeds"]![0]!["description"]}");
        Assert.Matches(@"\(trusted part .+ vs .+ on \d+, labelled part .+ vs .+ on \d+\)", (string)original["embeds"]![0]!["description"]!); // both parts, both models
        Assert.Contains(h.Db.Models.List(), m => m.ParentVersion == TinyModelFixture.Version); // the challenger was fine-tuned from the champion
        Assert.Equal("attachment://confusion_matrix.png", (string?)original["embeds"]![0]!["image"]?["url"]);
        Assert.Contains(original["attachments"]!.AsArray(), a => (string)a!["filename"]! == "confusion_matrix.png");
    }

    [Fact]
    public async Task Retrain_SeenTooLateToAnswerAsAnInteraction_StillRetrainsAndPostsTheOutcomeInTheChannel()
    {
        using var samples = new TempDirectory("skatebot-discord-samples");
        await using var h = await StartForRetrainAsync(samples, new FakeDiscordOptions { InteractionAnswerWithin = TimeSpan.Zero });
        var slash = h.Fake.SlashCommand("retrain", DiscordHarness.WatchedChannel, userId: DiscordHarness.Operator);

        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);

        // The operator asked for it: it runs, and its outcome (one message, edited from progress to result) names them.
        var answer = await LateAnswerAsync(h, "/retrain", RetrainPatience, withTitle: "Retraining ");
        Assert.Null(h.Fake.InteractionResponseType((string)slash["token"]!));
        Assert.StartsWith($"<@{DiscordHarness.Operator}> ", (string)answer["content"]!, StringComparison.Ordinal);
        Assert.Contains(h.Db.Models.List(), m => m.ParentVersion == TinyModelFixture.Version);
        Assert.Equal("attachment://confusion_matrix.png", (string?)answer["embeds"]![0]!["image"]?["url"]);
        Assert.Contains(answer["attachments"]!.AsArray(), a => (string)a!["filename"]! == "confusion_matrix.png");
        Assert.Single(h.Fake.MessagesIn(DiscordHarness.WatchedChannel), m => ((string?)m["content"] ?? "").Contains("/retrain", StringComparison.Ordinal));
    }

    /// <summary>The bot with drawn samples in <paramref name="samples"/> as base folder and a one-epoch retraining.</summary>
    private async Task<DiscordHarness> StartForRetrainAsync(TempDirectory samples, FakeDiscordOptions? fakeOptions = null)
    {
        SkateSampleGenerator.Generate(samples.Path, perClass: 6, seed: 11, size: 64);
        return await DiscordHarness.StartAsync(model, new Dictionary<string, string?>
        {
            ["Training:BaseFolders:0"] = samples.Path,
            ["Training:BatchSize"] = "4",
            ["Retraining:FrozenEpochs"] = "1",
            ["Retraining:UnfrozenEpochs"] = "0",
        }, fakeOptions);
    }

    /// <summary>A retraining in these tests takes seconds alone, minutes beside other trainings on 2 cores.</summary>
    private static readonly TimeSpan RetrainPatience = TimeSpan.FromMinutes(5);

    /// <summary>The bot's message in the watched channel that answers a late <paramref name="command"/>, once it has an embed
    /// (whose title starts with <paramref name="withTitle"/>, when given).</summary>
    private static async Task<JsonObject> LateAnswerAsync(DiscordHarness h, string command, TimeSpan patience, string? withTitle = null)
    {
        JsonObject? answer = null;
        await FakeDiscordServer.WaitUntilAsync(() => (answer = h.Fake.MessagesIn(DiscordHarness.WatchedChannel).FirstOrDefault(m =>
                ((string?)m["content"] ?? "").Contains($"`{command}`", StringComparison.Ordinal)
                && m["embeds"]!.AsArray() is [{ } e, ..] && ((string?)e["title"] ?? "").StartsWith(withTitle ?? "", StringComparison.Ordinal))) is not null,
            patience, $"the late {command} answer in the channel");
        return answer!;
    }

    /// <summary>The original response once it has an embed (progress edits of /retrain are plain text).</summary>
    private static async Task<JsonObject> OriginalWithEmbedAsync(DiscordHarness h, string token, TimeSpan? patience = null)
    {
        JsonObject? original = null;
        await FakeDiscordServer.WaitUntilAsync(() => (original = h.Fake.OriginalResponse(token)) is { } o && o["embeds"]!.AsArray().Count > 0,
            patience ?? DiscordHarness.Patience, "the edited interaction response");
        return original!;
    }
}
