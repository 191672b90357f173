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
        var firstView = FirstViewOption.Create();
        var command = new Command("predict", "Say whether each photo shows aggressive or inline skates.") { files, model, json, timings, firstView };
        command.SetAction((parse, ct) =>
        {
            using var ctx = context();
            return Task.FromResult(Run(ctx, parse.GetValue(files)!, parse.GetValue(model), parse.GetValue(json), parse.GetValue(timings),
                parse.GetValue(firstView)));
        });
        return command;
    }

    private static int Run(CliContext ctx, string[] files, string? modelName, bool json, bool timings = false, double? firstViewAbove = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan decoding = TimeSpan.Zero, waiting = TimeSpan.Zero, forward = TimeSpan.Zero;
        using var classifier = SkateClassifier.Load(ctx.Catalog.ResolveCheckpoint(modelName), ctx.Device,
            // The engine, threads and precision the service would serve it with (SKATEBOT_PRECISION wins when set).
            ctx.Model.Serving(InferenceOptions.Default) with { FirstViewAbove = firstViewAbove });
        var need = InputViews.Need(classifier.Preprocessing, classifier.InputSize);
        var loading = clock.Elapsed;
        var rows = new List<object>();
        var failures = 0;
        var viewsForwarded = 0;
        var chunks = files.Chunk(ctx.Model.MaxBatchSize).ToList();

        // Decoded only as large as the model's views need (a 12 MP JPEG at 1/8 scale), on every core (decoding is
        // single-threaded), and one batch ahead: the next batch decodes while this one is in the forward pass, so a core
        // the forward pass leaves idle (one ONNX Runtime thread, or the gaps between its layers) decodes meanwhile.
        // One decode runs at a time (the next starts once this one is taken), so each returns its own time.
        Task<(Prepared[] Prepared, TimeSpan Took)> Decode(string[] chunk) => Task.Run(() =>
        {
            var started = clock.Elapsed;
            var prepared = new Prepared[chunk.Length];
            Parallel.For(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                try
                {
                    using var loaded = ctx.Loader.Load(chunk[i], need);
                    prepared[i] = new Prepared(classifier.Preprocess(loaded.Image), null);
                }
                catch (ImageLoadException ex) { prepared[i] = new Prepared(null, ex); }
            });
            return (prepared, clock.Elapsed - started);
        });

        var next = chunks.Count > 0 ? Decode(chunks[0]) : null;
        for (var k = 0; k < chunks.Count; k++)
        {
            var chunk = chunks[k];
            var phase = clock.Elapsed;
            var (prepared, took) = next!.GetAwaiter().GetResult();
            waiting += clock.Elapsed - phase;
            decoding += took;
            next = k + 1 < chunks.Count ? Decode(chunks[k + 1]) : null;
            var good = Enumerable.Range(0, chunk.Length).Where(i => prepared[i].Error is null).ToList();
            phase = clock.Elapsed;
            var results = classifier.Classify(good.Select(i => prepared[i].Input!).ToList());
            forward += clock.Elapsed - phase;
            viewsForwarded += results.Sum(r => r.ViewsUsed);
            // Rows in the order the files were given, a bad file's error in its place.
            for (int i = 0, g = 0; i < chunk.Length; i++)
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
                var r = results[g++];
                rows.Add(new
                {
                    file, label = r.Label, best_class = r.BestClass, confidence = Math.Round(r.Confidence, 4),
                    probabilities = r.Probabilities.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
                    not_inline_skate_score = Math.Round(r.OtherProbability, 4), unsure_reason = r.UnsureReason, model = r.ModelVersion,
                    views = r.ViewsUsed,
                });
                if (!json) ctx.Output.WriteLine(r.IsUnsure
                    ? $"{file}: unsure — {r.UnsureReason} (closest: {r.BestClass} {r.Confidence:P1}, model {r.ModelVersion})"
                    : $"{file}: {r.Label} ({r.Confidence:P1}, model {r.ModelVersion})");
            }
        }
        if (json) JsonOutput.Write(ctx.Output, rows);
        if (timings)
        {
            var n = Math.Max(1, files.Length);
            ctx.Error.WriteLine($"timings: {files.Length} files, model load {loading.TotalMilliseconds:0} ms, decode + preprocess "
                + $"{decoding.TotalMilliseconds / n:0.0} ms/file ({waiting.TotalMilliseconds / n:0.0} ms/file not overlapped with the forward pass), "
                + $"forward {forward.TotalMilliseconds / n:0.0} ms/file "
                + $"({classifier.Preprocessing}: {InputViews.Count(classifier.Preprocessing)} view(s) per photo, {viewsForwarded} forwarded, "
                + $"first view decides at {classifier.FirstViewAbove:0.###}), total {clock.Elapsed.TotalSeconds:0.00} s; "
                + $"{classifier.Engine}{(classifier.EngineNote is { } note ? ", " + note : "")}");
        }
        return failures == 0 ? 0 : 1;
    }

    private readonly record struct Prepared(float[][]? Input, ImageLoadException? Error);
}
