using System.Diagnostics;
using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Network;
using SkateBot.Vision.Samples;
using SkateBot.Vision.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SkateBot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/SkateBot.Bench -- retrain-cost [count] [rounds]</c>: what a retrain costs on
/// <c>count</c> labelled images (default 500, plus a fifth as many held out for validation): the training step of a
/// retrain (<see cref="TrainingJob.Run"/> from a parent checkpoint, as <c>RetrainingService</c> calls it, with the
/// retrain's settings) head-only (2 frozen epochs) with an empty feature cache and again with the cache it left, then
/// one unfrozen epoch (every layer; then from layer3 on, today's default <c>Training:UnfreezeEarlyLayers=false</c>); each step's wall time and peak resident memory (VmHWM, reset before each step through
/// <c>/proc/self/clear_refs</c>), repeated <c>rounds</c> times (default 3) with medians at the end.
/// <para>The images are drawn samples (<see cref="SkateSampleGenerator"/>) at 512 px, the size the bot stores labelled
/// photos at, written once under <c>$TMPDIR/skatebot-bench/retrain-&lt;count&gt;</c>. The judgement of champion and
/// challenger that follows a retrain is not part of these figures.</para>
/// </summary>
public static class RetrainCostCheck
{
    private const int StoredSide = 512;

    /// <summary>Images labelled since the features were precomputed, in the <c>precomputed</c> step: <c>Retraining:NewLabelThreshold</c>'s default.</summary>
    private const int NewLabels = 20;

    public static int Run(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var steps = args.Length > 3 ? args[3].Split(',') : ["cold", "warm", "unfrozen", "unfrozen-late"];
        var micro = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : new FineTuneOptions().BodyMicroBatch;
        // RETRAIN_COST_SHAPE=photo: every drawn sample resized to 4:3 or 3:4 (alternately), as phone photos are; no view of
        // such a photo repeats another, where a square photo's centre square is its padded whole photo.
        var photoShaped = Environment.GetEnvironmentVariable("RETRAIN_COST_SHAPE") == "photo";
        var root = Path.Combine(Path.GetTempPath(), "skatebot-bench", $"retrain-{count}{(photoShaped ? "-photo" : "")}");
        var (train, valid) = Images(root, count, photoShaped);
        var classes = SkateSampleGenerator.ClassNames;
        var loader = new ImageLoader(new ImageLimits());
        TrainingExample Example(string path) =>
            new(path, classes.ToList().IndexOf(Path.GetFileName(Path.GetDirectoryName(path)!)), () => loader.Load(path));
        var data = new TrainingSet(classes, train.Select(Example).ToList(), valid.Select(Example).ToList(), $"bench-{count}");
        var parent = ParentCheckpoint(data);
        // Drawing (Skia) and the import leave freed native memory resident; give it back so it is not in the first step's peak.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (OperatingSystem.IsLinux()) _ = MallocTrim(0);
        var threads = torch.get_num_threads();
        Console.WriteLine($"retrain-cost: {train.Count} training + {valid.Count} validation images ({StoredSide} px drawn samples{(photoShaped ? ", 4:3 and 3:4" : ", square")}) in {root}; " +
                          $"{threads} libtorch threads; unfrozen body micro-batch {micro}; {rounds} rounds; {Load()}");
        Console.WriteLine($"before training: VmRSS {Field("VmRSS")} (RssAnon {Field("RssAnon")}, RssFile {Field("RssFile")}), managed {GC.GetTotalMemory(true) / 1e6:0} MB");

        // The retrain's defaults (Retraining:FrozenEpochs 2, Training:* defaults), one unfrozen epoch for its figure.
        var headOnly = new FineTuneOptions { FrozenEpochs = 2, UnfrozenEpochs = 0, Threads = threads, CompositesPerStudioImage = 0 };
        var unfrozen = headOnly with { FrozenEpochs = 0, UnfrozenEpochs = 1, BodyMicroBatch = micro, UnfreezeEarlyLayers = true };
        var rows = new List<(string Step, double Seconds, double PeakMb, string Note)>();
        for (var round = 1; round <= rounds; round++)
        {
            var work = Path.Combine(root, "work");
            // A cold step starts from an empty cache; a warm one alone (`warm` without `cold`) reuses the last run's.
            void Fresh() { if (Directory.Exists(work)) Directory.Delete(work, recursive: true); }
            var cache = Path.Combine(work, "cache", "features");
            // The same cold step with libtorch forwarding the frozen body (as before FineTuneOptions.OnnxBodyFeatures), for
            // the comparison in one run; both start from an empty cache.
            if (steps.Contains("cold-torch"))
            {
                Fresh();
                rows.Add(Step(round, "head-only, cold, libtorch", data, parent, headOnly with { OnnxBodyFeatures = false }, work, cache, r => Forwards(r)));
            }
            // The same cold step with float features (before FineTuneOptions.Int8BodyFeatures), in the same run.
            if (steps.Contains("cold-float"))
            {
                Fresh();
                rows.Add(Step(round, "head-only, cold, float", data, parent, headOnly with { Int8BodyFeatures = false }, work, cache, r => Forwards(r)));
            }
            // Fewer augmented views per image (Training:CachedAugmentedViews): fewer rows to forward when cold.
            if (steps.Contains("cold-views2"))
            {
                Fresh();
                rows.Add(Step(round, "head-only, cold, 2 views", data, parent, headOnly with { CachedAugmentedViews = 2 }, work, cache, r => Forwards(r)));
            }
            if (steps.Contains("cold"))
            {
                Fresh();
                rows.Add(Step(round, "head-only, cold cache", data, parent, headOnly, work, cache, r => Forwards(r)));
            }
            if (steps.Contains("warm")) rows.Add(Step(round, "head-only, warm cache", data, parent, headOnly, work, cache, r => Forwards(r)));
            // What `serve` leaves for a retrain (Retraining:PrecomputeFeatures): the champion's features for every image
            // but the NewLabels labelled since, computed while it was idle; the retrain then forwards only those.
            if (steps.Contains("precomputed"))
            {
                Fresh();
                var before = data with { Train = data.Train.Skip(NewLabels).ToList() };
                var clock = Stopwatch.StartNew();
                var warmed = TrainingJob.WarmFeatureCache(new TrainingJobRequest
                {
                    Data = before, Version = "bench-precompute", ModelsDirectory = Path.Combine(work, "models"), RunsDirectory = Path.Combine(work, "runs"),
                    ParentCheckpoint = parent, FeatureCacheDirectory = cache, Options = headOnly,
                }, torch.CPU, new BodyFeaturesLine());
                Console.WriteLine($"round {round}: precomputed {warmed.ComputedRows} rows ({warmed.CachedRows} cached) for {before.Train.Count} + {before.Valid.Count} images in {clock.Elapsed.TotalSeconds:0.0} s, not timed below");
                rows.Add(Step(round, $"head-only, {NewLabels} new", data, parent, headOnly, work, cache, r => Forwards(r)));
            }
            string Epoch(TrainingJobResult r) =>
                $"epoch {r.Result.Epochs.Single().Duration.TotalSeconds:0.0} s (training {train.Count} images + validation forward)";
            if (steps.Contains("unfrozen")) rows.Add(Step(round, "unfrozen, every layer", data, parent, unfrozen, work, cache, Epoch));
            if (steps.Contains("unfrozen-late"))
                rows.Add(Step(round, "unfrozen from layer3", data, parent, unfrozen with { UnfreezeEarlyLayers = false }, work, cache, Epoch));
        }

        Console.WriteLine();
        Console.WriteLine($"Medians over {rounds} rounds ({train.Count} training images, {threads} threads; {Load()}):");
        Console.WriteLine($"{"step",-26} {"seconds",8} {"peak RSS",10}");
        foreach (var group in rows.GroupBy(r => r.Step))
            Console.WriteLine($"{group.Key,-26} {Median(group.Select(r => r.Seconds)),8:0.0} {Median(group.Select(r => r.PeakMb)),7:0} MB");
        Console.WriteLine($"process peak (VmHWM since the last reset) {Field("VmHWM")}");
        return 0;
    }

    private static string Forwards(TrainingJobResult r) =>
        $"{r.Result.FrozenBodyForwards - r.Result.FrozenRepeatedRows} body forwards on {r.Result.FrozenBodyEngine} ({r.Result.FrozenRepeatedRows} rows copied from an identical view), {r.Result.CachedFeatureRows} cached rows";

    private static (string Step, double Seconds, double PeakMb, string Note) Step(int round, string step, TrainingSet data, string parent,
        FineTuneOptions options, string work, string cache, Func<TrainingJobResult, string> note)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ResetPeak();
        var clock = Stopwatch.StartNew();
        var result = TrainingJob.Run(new TrainingJobRequest
        {
            Data = data, Version = $"bench-r{round}", ModelsDirectory = Path.Combine(work, "models"),
            RunsDirectory = Path.Combine(work, "runs"), RunId = $"{round}-{step.Replace(' ', '-').Replace(',', '-')}",
            ParentCheckpoint = parent, ParentVersion = "bench-parent", FeatureCacheDirectory = cache, Options = options,
        }, torch.CPU, Environment.GetEnvironmentVariable("RETRAIN_COST_TRACE") == "1" ? new MemoryTrace() : new BodyFeaturesLine());
        var seconds = clock.Elapsed.TotalSeconds;
        var peak = Kilobytes("VmHWM") / 1024.0;
        var text = note(result);
        Console.WriteLine($"round {round}: {step,-24} {seconds,7:0.0} s  peak RSS {peak,6:0} MB  {text}; validation error {result.Result.Validation.ErrorRate:P1}; {Load()}");
        Console.WriteLine($"  after: VmRSS {Field("VmRSS")} (RssAnon {Field("RssAnon")}, RssFile {Field("RssFile")}), managed {GC.GetTotalMemory(false) / 1e6:0} MB, " +
                          $"live tensors {DisposeScopeManager.Statistics.ThreadTotalLiveCount}");
        return (step, seconds, peak, text);
    }

    /// <summary>Draws <paramref name="count"/> training and count/5 validation images once (balanced classes, other seeds for validation).</summary>
    private static (List<string> Train, List<string> Valid) Images(string root, int count, bool photoShaped)
    {
        List<string> Draw(string folder, int total, int seed)
        {
            var dir = Path.Combine(root, folder);
            var perClass = Math.Max(1, total / 2);
            var marker = Path.Combine(dir, $".complete-{perClass}-{seed}");
            if (!File.Exists(marker))
            {
                Console.WriteLine($"drawing {perClass * 2} images into {dir} (once)…");
                SkateSampleGenerator.Generate(dir, perClass, seed, StoredSide);
                if (photoShaped)
                {
                    var files = SkateSampleGenerator.ClassNames.SelectMany(c => Directory.GetFiles(Path.Combine(dir, c))).Order(StringComparer.Ordinal).ToList();
                    for (var i = 0; i < files.Count; i++)
                    {
                        using var image = SixLabors.ImageSharp.Image.Load(files[i]);
                        var (w, h) = i % 2 == 0 ? (StoredSide, StoredSide * 3 / 4) : (StoredSide * 3 / 4, StoredSide);
                        image.Mutate(x => x.Resize(w, h));
                        image.Save(files[i]);
                    }
                }
                File.WriteAllText(marker, "");
            }
            return SkateSampleGenerator.ClassNames.SelectMany(c => Directory.GetFiles(Path.Combine(dir, c)).Order(StringComparer.Ordinal)).ToList();
        }
        return (Draw("train", count, 1234), Draw("valid", Math.Max(2, count / 5), 4321));
    }

    /// <summary>The champion a retrain starts from: the imported body with a seeded head for the sample classes.</summary>
    /// <summary>The champion a retrain starts from: ImageNet body, a seeded head, and (as every trained checkpoint has) the
    /// int8 calibration ranges, measured as training measures them (<see cref="TrainingJob.CalibrateInt8"/>).</summary>
    private static string ParentCheckpoint(TrainingSet data)
    {
        var path = Path.Combine(VisionBenchmarks.ModelsDirectory, "retrain-parent-q" + CheckpointFile.Extension);
        if (File.Exists(path)) return path;
        var imported = Vision.Pretrained.PretrainedBackbone.LoadOrImport(VisionBenchmarks.ModelsDirectory);
        torch.manual_seed(11);
        using var net = new SkateNet(imported.Module, data.Classes.Count);
        var ranges = TrainingJob.CalibrateInt8(net, imported.Convention, data.Train, InputViews.Multi, NullTrainingObserver.Instance);
        CheckpointFile.Save(path, net, imported.Convention, new CheckpointInfo
        {
            Version = "bench-parent", Classes = data.Classes, TrainingFingerprint = "bench", Preprocessing = InputViews.Multi,
            ActivationRanges = ranges,
        });
        return path;
    }

    /// <summary>The frozen phase's own account of its body features (cached, forwarded, time making views and forwarding).</summary>
    private sealed class BodyFeaturesLine : ITrainingObserver
    {
        public void Message(string text) { if (text.StartsWith("Body features", StringComparison.Ordinal)) Console.WriteLine("    " + text); }
        public void PhaseStarted(string phase, int epochs, int batchesPerEpoch) { }
        public void BatchCompleted(string phase, int epoch, int batch, int batches, double loss) { }
        public void EpochCompleted(EpochResult result) { }
    }

    /// <summary><c>RETRAIN_COST_TRACE=1</c>: resident memory at each message, phase start, tenth batch and epoch end.</summary>
    private sealed class MemoryTrace : ITrainingObserver
    {
        private static void Print(string what) => Console.WriteLine($"    [{what}] VmRSS {Field("VmRSS")} VmHWM {Field("VmHWM")} managed {GC.GetTotalMemory(false) / 1e6:0} MB");
        public void Message(string text) => Print(text.Length > 50 ? text[..50] : text);
        public void PhaseStarted(string phase, int epochs, int batchesPerEpoch) => Print($"{phase} starts");
        public void BatchCompleted(string phase, int epoch, int batch, int batches, double loss) { if (batch % 10 == 1) Print($"{phase} batch {batch}/{batches}"); }
        public void EpochCompleted(EpochResult result) => Print($"{result.Phase} epoch {result.Epoch} done");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Writing 5 to clear_refs resets the peak resident set size (VmHWM) to the current one (Linux 4.0+).</summary>
    private static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { Console.WriteLine($"(could not reset VmHWM: {ex.Message})"); }
    }

    private static string Field(string name) =>
        File.Exists("/proc/self/status")
            ? File.ReadAllLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim() ?? "?"
            : "?";

    private static long Kilobytes(string name) =>
        long.TryParse(Field(name).Split(' ')[0], CultureInfo.InvariantCulture, out var kb) ? kb : -1;

    private static string Load() =>
        File.Exists("/proc/loadavg") ? $"load {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : "load ?";
}
