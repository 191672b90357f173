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
    public void TrainingJob_ShippedSampleSet_ReachesAtMostFivePercentValidationErrorAndFlagsUnseenDrawnQuads()
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

        // The shipped set's other/ (drawn quads and ice skates) gives the first model of a fresh clone, and of the
        // sandbox, its "not an inline skate" answer: drawings of another seed, never trained on, must get it, and skates must not
        // (measured: 9 of the first 10 of these, 39 of 40 with `train` and `eval`, README "Photos from the wild"; 0 skates unsure).
        Assert.Contains("other", data.Classes);
        SkateBot.Vision.Samples.SkateSampleGenerator.Generate(dir.Combine("unseen"), perClass: 20, seed: 99, withOther: true);
        var unseen = EvaluationJob.Run(result.CheckpointPath, TrainingData.Sources(dir.Combine("unseen")), torch.CPU, dir.Combine("runs", "unseen")).Result;
        output.WriteLine($"unseen drawings: {unseen.OtherFlaggedRate:P0} of other answered unsure, skates {unseen.SkateWrongRate:P0} wrong + {unseen.SkateUnsureRate:P0} unsure");
        Assert.True(unseen.OtherFlaggedRate >= 0.75, $"only {unseen.OtherFlaggedRate:P0} of unseen drawn quads and ice skates answered unsure");
        Assert.True(unseen.SkateUnsureRate <= 0.2, $"{unseen.SkateUnsureRate:P0} of unseen drawn skates answered unsure");
    }

    [SkippableFact]
    public void TrainingJob_StudioAndWildPhotos_ReportsHoldoutAndWildDevFigures()
    {
        var train = Path.Combine(RepoPaths.SharedPhotos, "train");
        var wild = Path.Combine(RepoPaths.SharedPhotos, "wild");
        var holdout = Path.Combine(RepoPaths.SharedPhotos, "holdout");
        Skip.IfNot(Directory.Exists(train) && Directory.Exists(wild) && Directory.Exists(holdout), RepoPaths.SkipReasonWithoutShared("The real-photo test"));
        using var dir = new TempDirectory("photo-train");
        // The wild dev share (by file-name hash) is never trained on: it is what this test measures.
        var data = TrainingData.FromFolders([train, wild + "#train"]);
        var result = TrainingJob.Run(new TrainingJobRequest
        {
            Data = data, Version = "photos", ModelsDirectory = dir.Combine("models"), RunsDirectory = dir.Combine("runs"),
            PretrainedCacheDirectory = PretrainedFixture.ModelsDirectory, Options = new FineTuneOptions(), RunId = "photos",
        }, torch.CPU);

        var studio = EvaluationJob.Run(result.CheckpointPath, TrainingData.Sources(holdout), torch.CPU, dir.Combine("runs", "holdout")).Result;
        var dev = EvaluationJob.Run(result.CheckpointPath, TrainingData.Sources(wild + "#dev"), torch.CPU, dir.Combine("runs", "wild-dev")).Result;
        var (before, after) = dev.CalibrationError();
        output.WriteLine($"trained on {data.Train.Count}+{data.Valid.Count} photos ({string.Join(", ", data.Classes)}) in {result.Result.Duration.TotalSeconds:0}s, T = {result.Result.Temperature:0.00}");
        output.WriteLine($"studio holdout: {studio.Errors} of {studio.Count} wrong (argmax), {studio.WrongAnswers} wrong answers, {studio.SkateUnsureRate:P0} unsure");
        output.WriteLine($"wild dev: {dev.Errors} of {dev.Count} wrong (argmax), skates {dev.SkateWrongRate:P0} wrong + {dev.SkateUnsureRate:P0} unsure, " +
            $"not inline skates {dev.OtherFlaggedRate:P0} answered unsure; ECE {before:P1} before, {after:P1} after calibration");
        foreach (var miss in dev.Items.Where(i => !i.Correct)) output.WriteLine($"  wild dev: {Path.GetFileName(miss.Id)} is {dev.Classes[miss.Actual]}, answered {miss.Answer}");
        Assert.Contains("other", data.Classes);
        // A guard against a broken recipe, not a quality target (README "Photos from the wild" has those): by most likely
        // class the default recipe leaves 2-6 of the 26 studio holdout photos wrong or unsure, depending on the run's random
        // draws (seven seeds each with session 12's and session 13's composites; this seed drew 3, now 6). A head that
        // learnt nothing gets about half wrong.
        Assert.True(studio.Errors <= 7, $"studio holdout: {studio.Errors} wrong is above the loose bound of 7");
        Assert.True(dev.WrongAnswers <= dev.Count * 0.4, $"wild dev: {dev.WrongAnswers} of {dev.Count} wrong answers is above the loose 40% bound");
    }
}
