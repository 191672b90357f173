using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Imaging;
using static TorchSharp.torch;

namespace SkateBot.Vision.Evaluation;

/// <summary>A labelled image to evaluate on, by class name (so any folder or label store can feed it).</summary>
public sealed record LabelledSource(string Id, string ClassName, Func<Image<Rgb24>> Open);

/// <param name="Engine">What ran the forward passes, as the service would say it ("onnxruntime cpu (2 threads)", with the
/// precision and where the graph came from).</param>
public sealed record EvaluationJobResult(string Version, EvaluationResult Result, IReadOnlyList<string> Skipped, string? ReportDirectory)
{
    public string Engine { get; init; } = "";
}

/// <summary>
/// Evaluates one checkpoint on a labelled set; used by <c>eval</c>, by champion-versus-challenger comparisons and by
/// <c>simulate</c>. The checkpoint is loaded exactly as the service serves it (<see cref="SkateClassifier"/> with the
/// given <see cref="InferenceOptions"/>: engine, precision, the <see cref="ViewCascade"/> rule), so what eval and the
/// gate measure is the graph people talk to, int8 included.
/// </summary>
public static class EvaluationJob
{
    /// <param name="inference">How to load the checkpoint (null: <see cref="InferenceOptions.Default"/>, what the service uses).</param>
    public static EvaluationJobResult Run(string checkpointPath, IReadOnlyList<LabelledSource> sources, Devices.ComputeDevice device,
        string? reportDirectory = null, string? title = null, int batchSize = 16, CancellationToken ct = default, string? preprocessing = null,
        double? firstViewAbove = null, InferenceOptions? inference = null) =>
        Run(checkpointPath, sources, device.Torch, reportDirectory, title, batchSize, ct, preprocessing, firstViewAbove, inference);

    internal static EvaluationJobResult Run(string checkpointPath, IReadOnlyList<LabelledSource> sources, Device device,
        string? reportDirectory = null, string? title = null, int batchSize = 16, CancellationToken ct = default, string? preprocessing = null,
        double? firstViewAbove = null, InferenceOptions? inference = null)
    {
        var options = inference ?? InferenceOptions.Default;
        // Likewise the first-view rule (eval --first-view-above; 1 averages every view).
        if (firstViewAbove is not null) options = options with { FirstViewAbove = firstViewAbove };
        using var classifier = SkateClassifier.Load(checkpointPath, device, options);
        var info = classifier.Info;
        // Comparing preprocessing on one trained model (eval --preprocessing); the service always uses the checkpoint's.
        if (preprocessing is not null) info = info with { Preprocessing = InputViews.Normalize(preprocessing) };
        var unknown = sources.Select(s => s.ClassName).Distinct().Where(c => !info.Classes.Contains(c)).ToList();
        // Photos of things that are not inline skates can be scored on a model that never learnt "other": it should
        // answer unsure, and any class it names is wrong.
        var classes = info.Classes.ToList();
        if (unknown.Remove(Inference.Answering.OtherClass)) classes.Add(Inference.Answering.OtherClass);
        if (unknown.Count > 0)
            throw new ArgumentException($"Model {info.Version} knows the classes [{string.Join(", ", info.Classes)}]; the evaluation set also has [{string.Join(", ", unknown)}].");
        var skipped = new List<string>();
        var samples = new List<EvaluationSample>();
        var images = new List<Image<Rgb24>>();
        try
        {
            foreach (var s in sources)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    var image = s.Open();
                    images.Add(image);
                    samples.Add(new EvaluationSample(s.Id, classes.IndexOf(s.ClassName), InputViews.Make(image, info.Preprocessing, classifier.InputSize), image));
                }
                catch (ImageLoadException ex) { skipped.Add(ex.Message); }
            }
            var logits = new List<double[]>(samples.Count);
            var viewsForwarded = 0;
            foreach (var batch in Evaluator.ViewBatches(samples.Select(sample => sample.Views).ToList(), batchSize))
            {
                ct.ThrowIfCancellationRequested();
                var part = classifier.CascadeLogits(batch);
                logits.AddRange(part.Logits);
                viewsForwarded += part.ViewsForwarded;
            }
            var result = Evaluator.FromLogits(classes, samples, logits, info.EffectiveTemperature, info.EffectiveUnsureBelow);
            result.ViewsForwarded = viewsForwarded;
            var engine = classifier.EngineNote is { } note ? $"{classifier.Engine}, {note}" : classifier.Engine;
            string? report = null;
            if (reportDirectory is not null)
                report = RunReportWriter.Write(reportDirectory, title ?? $"{info.Version}: evaluation", result, null,
                    new Dictionary<string, object?> { ["version"] = info.Version, ["skipped"] = skipped, ["engine"] = engine });
            return new EvaluationJobResult(info.Version, result, skipped, report) { Engine = engine };
        }
        finally
        {
            foreach (var i in images) i.Dispose();
        }
    }
}
