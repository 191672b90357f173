using System.CommandLine;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Cli;

/// <summary><c>predict files… [--json]</c>: classify image files with the serving model (or <c>--model</c>).</summary>
public static class PredictCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var files = new Argument<string[]>("files") { Description = "Image files (JPEG, PNG, WebP, GIF, BMP, TIFF).", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string?>("--model") { Description = "A model version or checkpoint file (default: the serving model)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var timings = new Option<bool>("--timings") { Description = "Print where the time went (load, decode + preprocess, forward) to stderr." };
        var command = new Command("predict", "Say whether each photo shows aggressive or inline skates.") { files, model, json, timings };
        command.SetAction((parse, ct) =>
        {
            using var ctx = context();
            return Task.FromResult(Run(ctx, parse.GetValue(files)!, parse.GetValue(model), parse.GetValue(json), parse.GetValue(timings)));
        });
        return command;
    }

    private static int Run(CliContext ctx, string[] files, string? modelName, bool json, bool timings = false)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan decoding = TimeSpan.Zero, forward = TimeSpan.Zero;
        using var classifier = SkateClassifier.Load(ctx.Catalog.ResolveCheckpoint(modelName), ctx.Device);
        var need = InputViews.Need(classifier.Preprocessing, classifier.InputSize);
        var loading = clock.Elapsed;
        var rows = new List<object>();
        var failures = 0;
        foreach (var chunk in files.Chunk(ctx.Model.MaxBatchSize))
        {
            // Decoded only as large as the model's views need (a 12 MP JPEG at 1/8 scale), on every core: decoding is
            // single-threaded, and the forward pass that follows uses all cores anyway.
            var phase = clock.Elapsed;
            var prepared = new (float[][]? Input, ImageLoadException? Error)[chunk.Length];
            Parallel.For(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                try
                {
                    using var loaded = ctx.Loader.Load(chunk[i], need);
                    prepared[i] = (classifier.Preprocess(loaded.Image), null);
                }
                catch (ImageLoadException ex) { prepared[i] = (null, ex); }
            });
            var inputs = new List<(string File, float[][] Input)>();
            for (var i = 0; i < chunk.Length; i++)
            {
                var file = chunk[i];
                if (prepared[i].Error is { } ex)
                {
                    // One bad file never stops the batch: report it, carry on, and exit non-zero at the end.
                    failures++;
                    rows.Add(new { file, error = ex.Message });
                    if (!json) ctx.Error.WriteLine($"error: {ex.Message}");
                    continue;
                }
                inputs.Add((file, prepared[i].Input!));
            }
            decoding += clock.Elapsed - phase;
            phase = clock.Elapsed;
            var results = classifier.Classify(inputs.Select(i => i.Input).ToList());
            forward += clock.Elapsed - phase;
            for (var i = 0; i < inputs.Count; i++)
            {
                var r = results[i];
                rows.Add(new
                {
                    file = inputs[i].File, label = r.Label, best_class = r.BestClass, confidence = Math.Round(r.Confidence, 4),
                    probabilities = r.Probabilities.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
                    not_inline_skate_score = Math.Round(r.OtherProbability, 4), unsure_reason = r.UnsureReason, model = r.ModelVersion,
                });
                if (!json) ctx.Output.WriteLine(r.IsUnsure
                    ? $"{inputs[i].File}: unsure — {r.UnsureReason} (closest: {r.BestClass} {r.Confidence:P1}, model {r.ModelVersion})"
                    : $"{inputs[i].File}: {r.Label} ({r.Confidence:P1}, model {r.ModelVersion})");
            }
        }
        if (json) JsonOutput.Write(ctx.Output, rows);
        if (timings)
        {
            var n = Math.Max(1, files.Length);
            ctx.Error.WriteLine($"timings: {files.Length} files, model load {loading.TotalMilliseconds:0} ms, decode + preprocess "
                + $"{decoding.TotalMilliseconds / n:0.0} ms/file, forward {forward.TotalMilliseconds / n:0.0} ms/file "
                + $"({classifier.Preprocessing}: {InputViews.Count(classifier.Preprocessing)} view(s) per photo), total {clock.Elapsed.TotalSeconds:0.00} s");
        }
        return failures == 0 ? 0 : 1;
    }
}
