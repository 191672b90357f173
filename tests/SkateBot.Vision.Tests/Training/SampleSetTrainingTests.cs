using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Evaluation;
using SkateBot.Vision.Tests.Support;
using SkateBot.Vision.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace SkateBot.Vision.Tests.Training;

/// <summary>The product promise: training on the shipped sample set, and (when present) on the real photos.</summary>
[Collection(TrainingCollection.Name)]
public sealed class SampleSetTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void TrainingJob_ShippedSampleSet_ReachesAtMostFivePercentValidationError()
    {
        using var dir = new TempDirectory("sample-train");
        var data = TrainingData.FromFolder(RepoPaths.SampleData);
        var request = new TrainingJobRequest
        {
            Data = data, Version = "t1", ModelsDirectory = dir.Combine("models"), RunsDirectory = dir.Combine("runs"),
            PretrainedCacheDirectory = PretrainedFixture.ModelsDirectory,
            Options = new FineTuneOptions(), RunId = "sample", // the defaults `train` uses
        };
        var result = TrainingJob.Run(request, torch.CPU);

        var v = result.Result.Validation;
        output.WriteLine($"sample set: {v.Errors}/{v.Count} wrong ({v.ErrorRate:P1}) in {result.Result.Duration.TotalSeconds:0}s");
        Assert.True(v.Count >= 20, "the validation split should be meaningful");
        Assert.True(v.ErrorRate <= 0.05, $"validation error {v.ErrorRate:P1} is above 5%");
        foreach (var f in new[] { "metrics.json", "confusion_matrix.png", "training_curves.png", "top_losses.png" })
            Assert.True(File.Exists(Path.Combine(result.ReportDirectory, f)), $"report file {f} is missing");
    }

    [SkippableFact]
    public void TrainingJob_RealPhotos_ReportsHoldoutError()
    {
        var train = Path.Combine(RepoPaths.SharedPhotos, "train");
        var holdout = Path.Combine(RepoPaths.SharedPhotos, "holdout");
        Skip.IfNot(Directory.Exists(train) && Directory.Exists(holdout), RepoPaths.SkipReasonWithoutShared("The real-photo holdout test"));
        using var dir = new TempDirectory("photo-train");
        var data = TrainingData.FromFolder(train);
        var result = TrainingJob.Run(new TrainingJobRequest
        {
            Data = data, Version = "photos", ModelsDirectory = dir.Combine("models"), RunsDirectory = dir.Combine("runs"),
            PretrainedCacheDirectory = PretrainedFixture.ModelsDirectory, Options = new FineTuneOptions(), RunId = "photos",
        }, torch.CPU);
        var checkpoint = result.CheckpointPath;

        var sources = Directory.GetDirectories(holdout).OrderBy(d => d, StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d).Select(f => new LabelledSource(f, Path.GetFileName(d), () => TrainingData.Loader.Load(f))))
            .ToList();
        var eval = EvaluationJob.Run(checkpoint, sources, torch.CPU, dir.Combine("runs", "holdout"));

        var r = eval.Result;
        output.WriteLine($"real photos: trained on {data.Train.Count}+{data.Valid.Count} in {result.Result.Duration.TotalSeconds:0}s; holdout error {r.ErrorRate:P1} ({r.Errors} of {r.Count} wrong)");
        foreach (var miss in r.Items.Where(i => !i.Correct)) output.WriteLine($"  wrong: {Path.GetFileName(miss.Id)} predicted {r.Classes[miss.Predicted]} ({miss.PredictedProbability:P0})");
        Assert.Equal(sources.Count, r.Count + eval.Skipped.Count);
        Assert.True(r.ErrorRate <= 0.25, $"holdout error {r.ErrorRate:P1} is above the loose 25% bound");
    }
}
