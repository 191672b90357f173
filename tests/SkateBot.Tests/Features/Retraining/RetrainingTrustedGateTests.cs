using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Vision.Samples;
using Xunit.Abstractions;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>
/// The gate cannot be talked into a bad model: labels that stood long enough are frozen in the trusted part of the
/// held-out set, so an import that rewrites them poisons the challenger's training but not its judge.
/// </summary>
[Collection(RetrainingCollection.Name)]
public sealed class RetrainingTrustedGateTests(RetrainingFixture fixture, ITestOutputHelper output)
{
    private const string Aggressive = SkateSampleGenerator.AggressiveClass, Inline = SkateSampleGenerator.InlineClass;

    [Fact]
    public async Task RetrainAsync_ImportSwapsAgedLabelsAndLabelsInlinePhotosAggressive_RejectsChallengerForTheTrustedPart()
    {
        await using var h = new LoopHarness(fixture);
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        h.Time = clock;
        // A larger held-out share than the default 20 %, so each part has enough images for the comparison to mean something.
        h.Settings["Retraining:HoldoutSharePercent"] = "40";
        h.StartService();
        h.InstallModels("v1");

        // People post photos; 24 of them (16 aggressive, 8 inline) get a right label from one person each, and nobody
        // disputes them for four days (Retraining:TrustAfter is three).
        var extraInline = SkateSampleGenerator.Enumerate(23, seed: 303).Where(s => s.ClassName == Inline)
            .Select(s => new PoolImage("extra_" + s.FileName, s.ClassName, s.Data)).ToList();
        var sha = new Dictionary<PoolImage, string>();
        foreach (var (image, i) in fixture.Pool.Concat(extraInline).Select((x, i) => (x, i)))
            sha[image] = (await h.PostAsync(image, $"message-{i}")).Sha;
        var labelled = fixture.Pool.Where(i => i.ClassName == Aggressive).Take(16).Concat(fixture.Pool.Where(i => i.ClassName == Inline).Take(8)).ToList();
        foreach (var (image, i) in labelled.Select((x, i) => (x, i)))
            h.Db.Labels.Vote(sha[image], image.ClassName, $"discord:{i % 4}", isOperator: false, "discord:reaction");
        clock.Advance(TimeSpan.FromDays(4));

        // An operator imports a folder whose class folders are the wrong way round: the 16 labelled aggressive photos
        // become inline (their classes swapped), and 23 inline photos nobody had labelled become aggressive.
        var swapped = labelled.Where(i => i.ClassName == Aggressive).ToList();
        var import = h.Combine("import");
        foreach (var image in swapped) Write(import, Other(image.ClassName), image);
        foreach (var image in extraInline) Write(import, Aggressive, image);
        var imported = await h.CliAsync("labels", "import", import);
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Equal(39, Directory.GetFiles(import, "*", SearchOption.AllDirectories).Length);
        clock.Advance(TimeSpan.FromHours(1));

        var progress = new ProgressLog();
        var outcome = await h.Retraining.RetrainAsync("test: rewritten labels", progress);
        foreach (var line in progress.Lines) output.WriteLine(line);
        output.WriteLine(outcome.Summary());

        var heldOut = labelled.Where(i => RetrainingDataset.InHoldout(sha[i], h.HoldoutShare)).ToList();
        Assert.Equal(RetrainStatus.Rejected, outcome.Status);
        Assert.Contains("its trusted held-out error", outcome.Reason, StringComparison.Ordinal);
        Assert.True(outcome.ChallengerTrustedError > outcome.ChampionTrustedError,
            $"trusted part: challenger {outcome.ChallengerTrustedError:P1} vs champion {outcome.ChampionTrustedError:P1}");
        Assert.Contains("its trusted held-out error", h.Db.Models.Get("v2")?.RejectionReason, StringComparison.Ordinal);
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
        Assert.Equal("v1", h.Host.CurrentVersion);

        // What the gate was judged on: every held-out labelled photo was trusted with the class it had before the import.
        Assert.Equal(heldOut.Count, outcome.NewlyTrusted);
        Assert.All(heldOut, i => Assert.Equal(i.ClassName, h.Db.Trusted.Get(sha[i])?.ClassName));
        Assert.All(swapped.Intersect(heldOut), i => Assert.Equal(Other(i.ClassName), h.Db.Labels.Resolve(sha[i], 1).ClassName));
        Assert.All(extraInline, i => Assert.Null(h.Db.Trusted.Get(sha[i])));
        Assert.Equal(extraInline.Count(i => RetrainingDataset.InHoldout(sha[i], h.HoldoutShare)), outcome.LabelledCount);

        // Judged on the same images with their CURRENT labels, as the gate did before it had a trusted part, the
        // challenger looks no worse than the champion: that judge would have promoted it (issue 8: 7.0% against 15.8%).
        var heldOutLabels = fixture.Pool.Concat(extraInline)
            .Where(i => RetrainingDataset.InHoldout(sha[i], h.HoldoutShare) && h.Db.Labels.Resolve(sha[i], 1).ClassName is not null)
            .ToDictionary(i => $"image:{sha[i][..12]}", i =>
            {
                var current = h.Db.Labels.Resolve(sha[i], 1).ClassName!;
                return (Scored: h.Db.Trusted.Get(sha[i])?.ClassName ?? current, Current: current);
            });
        var (championOld, challengerOld) = (CurrentLabelError(outcome, "champion", heldOutLabels), CurrentLabelError(outcome, "challenger", heldOutLabels));
        output.WriteLine($"On current labels: challenger {challengerOld:P1} vs champion {championOld:P1}");
        // What the old judge would have said is printed, not asserted: with CPU training not bit-for-bit repeatable it
        // went either way (challenger 54-71% against champion 50-71% on the current labels over several runs). The
        // rejection above, on the trusted part, is what the gate must guarantee.
    }

    /// <summary>
    /// A model's held-out error if every labelled image were scored against its current label, from the run report:
    /// its mistakes give the predicted class; every other image was predicted as the class it was scored with.
    /// </summary>
    private static double CurrentLabelError(RetrainOutcome outcome, string model, Dictionary<string, (string Scored, string Current)> labelled)
    {
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outcome.ReportDirectory!, model, "metrics.json"))).RootElement;
        var predicted = metrics.GetProperty("mistakes").EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("predicted").GetString()!);
        // Base-folder images keep their folder class, so their mistakes count as they are.
        var wrong = predicted.Keys.Count(id => !labelled.ContainsKey(id));
        foreach (var (id, (scored, current)) in labelled)
            if ((predicted.TryGetValue(id, out var p) ? p : scored) != current) wrong++;
        return (double)wrong / metrics.GetProperty("images").GetInt32();
    }

    private static string Other(string className) => className == Aggressive ? Inline : Aggressive;

    private static void Write(string root, string className, PoolImage image)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, className)).FullName;
        File.WriteAllBytes(Path.Combine(dir, image.Name), image.Bytes);
    }
}
