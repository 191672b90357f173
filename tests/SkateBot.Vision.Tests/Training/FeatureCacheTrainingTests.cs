using SkateBot.Testing.Paths;
using SkateBot.Vision.Network;
using SkateBot.Vision.Pretrained;
using SkateBot.Vision.Samples;
using SkateBot.Vision.Tests.Support;
using SkateBot.Vision.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SkateBot.Vision.Tests.Training;

/// <summary>
/// The frozen phase with a <see cref="FeatureCache"/>: what it forwards through the body (counted, not timed) and that
/// cached training is the same training.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class FeatureCacheTrainingTests
{
    // Three views per photo (multi) and one augmented view: entries of 3 and of 1 rows.
    private static readonly FineTuneOptions Options = new()
    {
        FrozenEpochs = 2, UnfrozenEpochs = 0, BatchSize = 4, CachedAugmentedViews = 1, CompositesPerStudioImage = 0, Seed = 5,
        Preprocessing = SkateBot.Vision.Imaging.InputViews.Multi,
    };

    private const int TrainImages = 6, ValidImages = 2;
    private const int RowsPerRun = TrainImages * (3 + 1) + ValidImages * 3;

    private static TrainingSet Data(TempDirectory dir)
    {
        SkateSampleGenerator.Generate(dir.Path, perClass: 4, seed: 21);
        var data = TrainingData.FromFolder(dir.Path, 0.25, seed: 2);
        Assert.Equal((TrainImages, ValidImages), (data.Train.Count, data.Valid.Count));
        return data;
    }

    private static FineTuneResult Train(TrainingSet data, FeatureCache? cache, Action<SkateNet>? changeBody = null, FineTuneOptions? options = null)
    {
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        torch.manual_seed(3); // the same head initialisation in every run
        using var model = new SkateNet(imported.Module, data.Classes.Count);
        changeBody?.Invoke(model);
        return new FineTuner(options ?? Options, CPU, featureCache: cache).Run(model, imported.Convention, data);
    }

    [Fact]
    public void BodyFeaturesOnOnnxRuntime_TrainLikeLibtorchs()
    {
        using var dir = new TempDirectory("onnx-body");
        var data = Data(dir);

        var onnx = Train(data, null);
        var libtorch = Train(data, null, options: Options with { OnnxBodyFeatures = false });

        Assert.StartsWith("onnxruntime cpu", onnx.FrozenBodyEngine);
        Assert.Equal("torchsharp", libtorch.FrozenBodyEngine);
        Assert.Equal((RowsPerRun, RowsPerRun), (onnx.FrozenBodyForwards, libtorch.FrozenBodyForwards));
        AssertSameTraining(libtorch, onnx, tolerance: 1e-3);
    }

    [Fact]
    public void BodyFeatures_OnTwoThreads_RunSideBySide_AndGiveOneThreadsFeaturesExactly()
    {
        using var dir = new TempDirectory("side-by-side");
        var data = Data(dir);
        var one = new FeatureCache(dir.Combine("one"));
        var two = new FeatureCache(dir.Combine("two"));

        var single = Train(data, one, options: Options with { Threads = 1 });
        var sideBySide = Train(data, two, options: Options with { Threads = 2 });

        Assert.Equal("onnxruntime cpu (1 threads)", single.FrozenBodyEngine);
        Assert.Equal("onnxruntime cpu (2 runs side by side, 1 thread each)", sideBySide.FrozenBodyEngine);
        Assert.Equal((RowsPerRun, RowsPerRun), (single.FrozenBodyForwards, sideBySide.FrozenBodyForwards));
        // The same batches on one ORT thread each: every stored feature row is the same to the bit, in the same entry.
        var files = Directory.GetFiles(one.Directory, "*" + FeatureCache.Extension, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(one.Directory, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(TrainImages * 2 + ValidImages, files.Count);
        Assert.Equal(files, Directory.GetFiles(two.Directory, "*" + FeatureCache.Extension, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(two.Directory, f)).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(one.Directory, f)), File.ReadAllBytes(Path.Combine(two.Directory, f))));
        AssertSameTraining(single, sideBySide, tolerance: 1e-6);
    }

    /// <summary>The ImageNet body's int8 ranges, measured as training measures a checkpoint's (plain views of its photos).</summary>
    private static IReadOnlyDictionary<string, float[]> BodyRanges(TrainingSet data)
    {
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        using var model = new SkateNet(imported.Module, data.Classes.Count);
        model.eval();
        var views = data.Train.SelectMany(e => { using var image = e.Open(); return SkateBot.Vision.Imaging.InputViews.Make(image, Options.Preprocessing, imported.Convention.Size); });
        return SkateBot.Vision.Export.ActivationCalibration.Measure(model, imported.Convention, views, 1);
    }

    [Fact]
    public void Int8BodyFeatures_TrainCloseToFloat_AndAreCachedApart()
    {
        using var dir = new TempDirectory("int8-body");
        var data = Data(dir);
        var cache = new FeatureCache(dir.Combine("cache"));
        var int8Options = Options with { BodyRanges = BodyRanges(data) };

        var int8 = Train(data, cache, options: int8Options);
        var float32 = Train(data, cache);
        var int8Again = Train(data, cache, options: int8Options);

        Assert.EndsWith(", int8", int8.FrozenBodyEngine);
        Assert.DoesNotContain("int8", float32.FrozenBodyEngine);
        // Float features are never read from int8 entries (nor the reverse): the float run forwards every row itself.
        Assert.Equal((RowsPerRun, 0), (int8.FrozenBodyForwards, int8.CachedFeatureRows));
        Assert.Equal((RowsPerRun, 0), (float32.FrozenBodyForwards, float32.CachedFeatureRows));
        Assert.Equal((0, RowsPerRun), (int8Again.FrozenBodyForwards, int8Again.CachedFeatureRows));
        AssertSameTraining(int8, int8Again);
        // int8 features are float's up to quantization noise: the head learns nearly the same thing (probabilities within
        // 0.1, as int8 serving is held to).
        Assert.All(float32.Validation.Items.Zip(int8.Validation.Items), p =>
        {
            Assert.Equal(p.First.Id, p.Second.Id);
            Assert.True(p.First.Probabilities.Zip(p.Second.Probabilities).All(q => Math.Abs(q.First - q.Second) < 0.1),
                $"{p.First.Id}: float {string.Join(", ", p.First.Probabilities)} vs int8 {string.Join(", ", p.Second.Probabilities)}");
        });
        // Off, or without ranges, the body stays float.
        Assert.DoesNotContain("int8", Train(data, null, options: int8Options with { Int8BodyFeatures = false }).FrozenBodyEngine);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SquarePhotos_CentreSquareIsCopiedFromTheWholePhoto_AndEveryRowIsTheBodysOwn(bool onnx)
    {
        using var dir = new TempDirectory("repeated-views");
        var data = Data(dir);
        var options = Options with { OnnxBodyFeatures = onnx, Threads = 1 };
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        torch.manual_seed(3);
        using var model = new SkateNet(imported.Module, data.Classes.Count);
        var observer = new NullTrainingObserver();
        using var train = PreparedImages.Load(data.Train, options.WorkingSide, observer, CancellationToken.None);
        using var valid = PreparedImages.Load(data.Valid, options.WorkingSide, observer, CancellationToken.None);
        Assert.All(train.Items.Concat(valid.Items), i => Assert.Equal(i.Image.Width, i.Image.Height)); // the drawn samples are square
        var phase = new FrozenPhase(options, CPU, observer, [1, 1]);

        phase.Run(model, imported.Convention, train, valid, new SkateBot.Vision.Imaging.Augmenter(options.Augment), new Random(1), CancellationToken.None);

        // One repeat per photo's plain pass (its centre square), none among the augmented views.
        Assert.Equal((RowsPerRun, TrainImages + ValidImages), (phase.BodyForwards, phase.RepeatedRows));
        // The validation photos' rows, pad, centre and lower square in order, are what the body gives each view forwarded alone.
        var size = imported.Convention.Size;
        var expected = valid.Items.SelectMany(item => SkateBot.Vision.Imaging.InputViews.Make(item.Image, options.Preprocessing, size)).SelectMany(view =>
        {
            using var _ = no_grad();
            using var x = imported.Convention.Apply(TensorBatches.Stack([view], size, CPU));
            model.Body.eval();
            using var features = model.Body.forward(x);
            return features.data<float>().ToArray();
        }).ToArray();
        Assert.Equal(expected.Length, phase.ValidFeatures!.Length);
        var worst = expected.Zip(phase.ValidFeatures).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst < (onnx ? 1e-3 : 1e-5), $"largest difference {worst}");
    }

    [Fact]
    public void SecondRun_SameImages_ForwardsNothingThroughTheBodyAndTrainsTheSame()
    {
        using var dir = new TempDirectory("cache-train");
        var data = Data(dir);
        var cache = new FeatureCache(dir.Combine("cache"));

        var uncached = Train(data, null);
        var cold = Train(data, cache);
        var warm = Train(data, cache);

        Assert.Equal(RowsPerRun, uncached.FrozenBodyForwards);
        Assert.Equal((RowsPerRun, 0), (cold.FrozenBodyForwards, cold.CachedFeatureRows));
        Assert.Equal((0, RowsPerRun), (warm.FrozenBodyForwards, warm.CachedFeatureRows));
        Assert.Equal(TrainImages * 2 + ValidImages, cache.Stats.Written);
        foreach (var run in new[] { cold, warm }) AssertSameTraining(uncached, run);
    }

    [Fact]
    public void Warm_ComputesWhatARunWouldRead_SoTheRunForwardsOnlyImagesAddedSince_AndTrainsTheSame()
    {
        using var dir = new TempDirectory("cache-warm");
        var data = Data(dir);
        var cache = new FeatureCache(dir.Combine("cache"));
        // Warmed before the last training image was labelled: the run that follows has one image more.
        var before = data with { Train = data.Train.Skip(1).ToList() };
        FeatureWarmResult Warm(TrainingSet set)
        {
            var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
            using var model = new SkateNet(imported.Module, set.Classes.Count);
            return new FineTuner(Options, CPU, featureCache: cache).Warm(model, imported.Convention, set);
        }
        var warmed = Warm(before);

        var uncached = Train(data, null);
        var run = Train(data, cache);

        const int NewImageRows = 3 + 1; // its plain views and its one augmented view
        Assert.Equal((0, RowsPerRun - NewImageRows), (warmed.CachedRows, warmed.ComputedRows));
        Assert.Equal((NewImageRows, RowsPerRun - NewImageRows), (run.FrozenBodyForwards, run.CachedFeatureRows));
        AssertSameTraining(uncached, run);
        // Warming again reads everything and computes nothing.
        var again = Warm(data);
        Assert.Equal((RowsPerRun, 0), (again.CachedRows, again.ComputedRows));
    }

    [Fact]
    public void ChangedBody_ReadsNoneOfTheOldBodysFeatures()
    {
        using var dir = new TempDirectory("cache-body");
        var data = Data(dir);
        var cache = new FeatureCache(dir.Combine("cache"));
        Train(data, cache);

        var changed = Train(data, cache, model =>
        {
            using var _ = no_grad();
            model.Body.parameters().First().add_(1e-3f); // a fine-tuned body: every feature may differ
        });
        var original = Train(data, cache);

        Assert.Equal((RowsPerRun, 0), (changed.FrozenBodyForwards, changed.CachedFeatureRows));
        Assert.Equal(0, original.FrozenBodyForwards); // both bodies' entries are kept
    }

    [Fact]
    public void BodyVersion_ChangesWithABufferToo()
    {
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        using var body = imported.Module;
        var before = FeatureCache.BodyVersion(body, imported.Convention);
        Assert.Equal(before, FeatureCache.BodyVersion(body, imported.Convention));
        using (no_grad()) body.named_buffers().First(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)).buffer.add_(1e-4f);
        Assert.NotEqual(before, FeatureCache.BodyVersion(body, imported.Convention));
    }

    [Fact]
    public void BodyVersion_LeavesNoTensorHandlesBehind()
    {
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        using var body = imported.Module;
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        FeatureCache.BodyVersion(body, imported.Convention);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void CorruptEntry_IsRecomputedAndTheRunTrainsTheSame()
    {
        using var dir = new TempDirectory("cache-corrupt");
        var data = Data(dir);
        var cache = new FeatureCache(dir.Combine("cache"));
        var first = Train(data, cache);
        var files = Directory.GetFiles(cache.Directory, "*" + FeatureCache.Extension, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(TrainImages * 2 + ValidImages, files.Count);
        var bytes = File.ReadAllBytes(files[0]);
        File.WriteAllBytes(files[0], bytes[..(bytes.Length - 100)]); // a write cut short
        File.WriteAllText(files[1], "not features");

        var again = Train(data, cache);

        Assert.Equal(2, cache.Stats.Corrupt);
        Assert.InRange(again.FrozenBodyForwards, 2, 6); // the two entries (1 or 3 views each), nothing else
        Assert.Equal(RowsPerRun, again.FrozenBodyForwards + again.CachedFeatureRows);
        AssertSameTraining(first, again);
        Assert.Equal(0, Train(data, cache).FrozenBodyForwards); // rewritten
    }

    [Fact]
    public void UnfrozenStep_InBodyMicroBatches_TrainsLikeTheWholeBatch()
    {
        using var dir = new TempDirectory("micro-batch");
        var data = Data(dir);
        var options = Options with
        {
            FrozenEpochs = 0, UnfrozenEpochs = 1, BatchSize = 3, LearningRate = 0.02, Preprocessing = SkateBot.Vision.Imaging.InputViews.Crop,
            UnfreezeEarlyLayers = true, // the whole body back-propagated: the case micro-batches are for
        };
        FineTuneResult Run(int micro)
        {
            var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
            torch.manual_seed(3);
            using var model = new SkateNet(imported.Module, data.Classes.Count);
            return new FineTuner(options with { BodyMicroBatch = micro }, CPU).Run(model, imported.Convention, data);
        }

        var whole = Run(0);
        var micro = Run(2); // slices of 2 and 1

        AssertSameTraining(whole, micro, tolerance: 1e-3);
    }

    private static void AssertSameTraining(FineTuneResult expected, FineTuneResult actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Epochs.Count, actual.Epochs.Count);
        for (var i = 0; i < expected.Epochs.Count; i++)
        {
            Assert.Equal(expected.Epochs[i].TrainLoss, actual.Epochs[i].TrainLoss, tolerance);
            Assert.Equal(expected.Epochs[i].ValidLoss, actual.Epochs[i].ValidLoss, tolerance);
        }
        Assert.Equal(expected.Temperature, actual.Temperature, tolerance);
        var logits = expected.Validation.Items.Zip(actual.Validation.Items);
        Assert.All(logits, p =>
        {
            Assert.Equal(p.First.Id, p.Second.Id);
            for (var c = 0; c < p.First.Logits.Length; c++) Assert.Equal(p.First.Logits[c], p.Second.Logits[c], tolerance);
        });
    }
}
