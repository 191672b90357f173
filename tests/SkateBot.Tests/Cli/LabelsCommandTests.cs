using SkateBot.Cli;
using SkateBot.Features.Classification;
using SkateBot.Tests.Features.Retraining;
using SkateBot.Vision.Samples;

namespace SkateBot.Tests.Cli;

[Collection(RetrainingCollection.Name)]
public sealed class LabelsCommandTests(RetrainingFixture fixture)
{
    private const string Aggressive = SkateSampleGenerator.AggressiveClass, Inline = SkateSampleGenerator.InlineClass;

    /// <summary>Six stream images: four resolved by users (2 + 2), one tie, one without votes.</summary>
    private async Task<List<(PoolImage Image, string Sha)>> PostAndVoteAsync(LoopHarness h)
    {
        var images = fixture.Pool.Take(3).Concat(fixture.Pool.TakeLast(3)).ToList();
        var posted = new List<(PoolImage, string)>();
        foreach (var (image, i) in images.Select((x, i) => (x, i))) posted.Add((image, (await h.PostAsync(image, $"message-{i}")).Sha));
        foreach (var (image, sha) in posted.Take(2).Concat(posted.Skip(3).Take(2)))
        {
            h.Db.Labels.Vote(sha, image.ClassName, "alice", isOperator: false, "discord:reaction");
            h.Db.Labels.Vote(sha, image.ClassName, "bob", isOperator: false, "discord:reaction");
        }
        h.Db.Labels.Vote(posted[2].Item2, Aggressive, "alice", isOperator: false, "discord:reaction");
        h.Db.Labels.Vote(posted[2].Item2, Inline, "bob", isOperator: false, "discord:reaction");
        return posted;
    }

    [Fact]
    public async Task LabelsExportThenImport_IntoAnotherDataDirectory_SameLabelsAsOperator()
    {
        await using var source = new LoopHarness(fixture);
        source.StartService();
        source.InstallModels("v1");
        await PostAndVoteAsync(source);
        var folder = source.Combine("export");

        var export = await source.CliAsync("labels", "export", folder);
        Assert.Equal(0, export.ExitCode);
        Assert.Equal($"Exported 4 labelled images to {folder}.", export.Output.Trim());
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder, Aggressive)).Length);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder, Inline)).Length);

        await using var target = new LoopHarness(fixture);
        var import = await target.CliAsync("labels", "import", folder);
        Assert.Equal(0, import.ExitCode);
        Assert.Equal($"Imported 4 labels ({Aggressive}, {Inline}).", import.Output.Trim());
        target.StartService();
        var labels = target.Db.ResolvedLabels(1);
        Assert.Equal(4, labels.Count);
        Assert.All(labels, l => Assert.Equal("operator", l.Rule));
        Assert.Equal(source.Db.ResolvedLabels(1).GroupBy(l => l.ClassName).Select(g => (g.Key, g.Count())).Order(),
            labels.GroupBy(l => l.ClassName).Select(g => (g.Key, g.Count())).Order());
    }

    [Fact]
    public async Task LabelsImport_OfItsOwnEditedExport_RelabelsTheSameImagesWithoutDuplicates()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        var posted = await PostAndVoteAsync(h);
        var folder = h.Combine("export");
        Assert.Equal(0, (await h.CliAsync("labels", "export", folder)).ExitCode);
        // The operator reviews the export and moves one image to the other class.
        var moved = Directory.GetFiles(Path.Combine(folder, Aggressive)).Order(StringComparer.Ordinal).First();
        File.Move(moved, Path.Combine(folder, Inline, Path.GetFileName(moved)));
        var imagesBefore = h.Db.Images.AllShas().Count;

        var import = await h.CliAsync("labels", "import", folder);

        Assert.Equal(0, import.ExitCode);
        // Re-importing must not store the exported (re-encoded) copies as new images: they would be trained on twice,
        // and a copy of a held-out image could land in training.
        Assert.Equal(imagesBefore, h.Db.Images.AllShas().Count);
        var labels = h.Db.ResolvedLabels(1);
        Assert.Equal(4, labels.Count);
        Assert.All(labels, l => Assert.Equal("operator", l.Rule));
        var movedSha = Assert.Single(posted, p => p.Sha.StartsWith(Path.GetFileNameWithoutExtension(moved), StringComparison.Ordinal)).Sha;
        Assert.Equal(Inline, labels.Single(l => l.ImageSha == movedSha).ClassName);
        Assert.Equal(3, labels.Count(l => l.ImageSha != movedSha && l.ClassName == posted.Single(p => p.Sha == l.ImageSha).Image.ClassName));
    }

    [Fact]
    public async Task LabelsImport_UnreadableFileAmongImages_SkipsItAndExitsOne()
    {
        await using var h = new LoopHarness(fixture);
        foreach (var c in SkateSampleGenerator.ClassNames) Directory.CreateDirectory(h.Combine("incoming", c));
        var good = fixture.Pool[0];
        File.WriteAllBytes(h.Combine("incoming", good.ClassName, good.Name), good.Bytes);
        File.WriteAllText(h.Combine("incoming", Inline, "notes.jpg"), "not a photo");

        var run = await h.CliAsync("labels", "import", h.Combine("incoming"));

        Assert.Equal(CliApp.ExitError, run.ExitCode);
        var error = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("skipped ", error, StringComparison.Ordinal);
        Assert.Contains("notes.jpg: ", error, StringComparison.Ordinal);
        Assert.Equal($"Imported 1 labels ({Aggressive}, {Inline}), skipped 1 unreadable files.", run.Output.Trim());
        h.StartService();
        var label = Assert.Single(h.Db.ResolvedLabels(1));
        Assert.Equal((ClassificationPipeline.Sha256(good.Bytes), good.ClassName), (label.ImageSha, label.ClassName));
    }
}
