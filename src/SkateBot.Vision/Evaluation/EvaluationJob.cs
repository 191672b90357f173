using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Imaging;
using static TorchSharp.torch;

namespace SkateBot.Vision.Evaluation;

/// <summary>A labelled image to evaluate on, by class name (so any folder or label store can feed it).</summary>
public sealed record LabelledSource(string Id, string ClassName, Func<Image<Rgb24>> Open);

public sealed record EvaluationJobResult(string Version, EvaluationResult Result, IReadOnlyList<string> Skipped, string? ReportDirectory);

/// <summary>Evaluates one checkpoint on a labelled set; used by <c>eval</c> and by champion-versus-challenger comparisons.</summary>
public static class EvaluationJob
{
    public static EvaluationJobResult Run(string checkpointPath, IReadOnlyList<LabelledSource> sources, Devices.ComputeDevice device,
        string? reportDirectory = null, string? title = null, int batchSize = 16, CancellationToken ct = default, string? preprocessing = null,
        double? firstViewAbove = null) =>
        Run(checkpointPath, sources, device.Torch, reportDirectory, title, batchSize, ct, preprocessing, firstViewAbove);

    internal static EvaluationJobResult Run(string checkpointPath, IReadOnlyList<LabelledSource> sources, Device device,
        string? reportDirectory = null, string? title = null, int batchSize = 16, CancellationToken ct = default, string? preprocessing = null,
        double? firstViewAbove = null)
    {
        var (model, convention, info) = CheckpointFile.Load(checkpointPath, device);
        // Comparing preprocessing on one trained model (eval --preprocessing); the service always uses the checkpoint's.
        if (preprocessing is not null) info = info with { Preprocessing = InputViews.Normalize(preprocessing) };
        // Likewise the first-view rule (eval --first-view-above; 1 averages every view).
        if (firstViewAbove is not null) info = info with { FirstViewAbove = firstViewAbove };
        using (model)
        {
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
                        samples.Add(new EvaluationSample(s.Id, classes.IndexOf(s.ClassName), InputViews.Make(image, info.Preprocessing, convention.Size), image));
                    }
                    catch (ImageLoadException ex) { skipped.Add(ex.Message); }
                }
                var result = Evaluator.Evaluate(model, convention, device, classes, samples, batchSize, ct,
                    info.EffectiveTemperature, info.EffectiveUnsureBelow, info.EffectiveFirstViewAbove);
                string? report = null;
                if (reportDirectory is not null)
                    report = RunReportWriter.Write(reportDirectory, title ?? $"{info.Version}: evaluation", result, null,
                        new Dictionary<string, object?> { ["version"] = info.Version, ["skipped"] = skipped });
                return new EvaluationJobResult(info.Version, result, skipped, report);
            }
            finally
            {
                foreach (var i in images) i.Dispose();
            }
        }
    }
}
