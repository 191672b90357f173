using System.Text.Json;
using Microsoft.Extensions.Configuration;
using SkateBot.Cli;
using SkateBot.Vision.Checkpoints;

namespace SkateBot.Bench.EndToEnd;

/// <summary>
/// The checkpoint the bot serves: the one given with --model, or a small model trained once with the real <c>train</c>
/// command on the drawn samples (data/sample; one frozen epoch, no unfrozen ones, no composites: timing, not accuracy)
/// and cached in $TMPDIR/skatebot-bench-e2e/model, so later runs start in seconds. It has the default input (three views
/// of 224 px), so a photo costs what it costs in production.
/// </summary>
internal static class BenchModel
{
    public static string CacheDirectory => Path.Combine(Path.GetTempPath(), "skatebot-bench-e2e", "model");

    public static async Task<string> GetAsync(BenchOptions options, IConfiguration baseConfiguration, string samples, TextWriter log, CancellationToken ct)
    {
        if (options.Model is { } given)
            return File.Exists(given) ? Path.GetFullPath(given) : throw new ArgumentException($"--model {given}: no such file.");
        var marker = Path.Combine(CacheDirectory, "checkpoint.txt");
        if (File.Exists(marker) && File.ReadAllText(marker).Trim() is { Length: > 0 } cached && File.Exists(cached))
        {
            log.WriteLine($"model: cached {cached}");
            return cached;
        }
        Directory.CreateDirectory(CacheDirectory);
        log.WriteLine($"model: none cached; training one on {samples} with `train` (a few minutes on 2 cores) into {CacheDirectory}");
        log.Flush();
        var config = new ConfigurationBuilder().AddConfiguration(baseConfiguration).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = Path.Combine(CacheDirectory, "data"),
            ["Observability:Url"] = "",
        }).Build();
        using var output = new StringWriter();
        var code = await CliApp.RunAsync(["train", samples, "--frozen-epochs", "1", "--epochs", "0", "--composites", "0", "--json"], output, log, config, ct);
        if (code != 0) throw new InvalidOperationException($"train exited with {code}: {output}");
        var text = output.ToString();
        using var json = JsonDocument.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..]);
        var checkpoint = Path.GetFullPath(json.RootElement.GetProperty("checkpoint").GetString()!);
        await File.WriteAllTextAsync(marker, checkpoint, ct);
        log.WriteLine($"model: trained {checkpoint}");
        return checkpoint;
    }

    /// <summary>
    /// A copy of <paramref name="checkpoint"/> (same weights, same temperature) whose first-view threshold
    /// (<see cref="SkateBot.Vision.Inference.ViewCascade"/>) is <paramref name="value"/>, in $TMPDIR/skatebot-bench-e2e/first-view:
    /// the same model served with and without the rule, for a comparison in the same conditions.
    /// </summary>
    public static string WithFirstViewAbove(string checkpoint, double value, TextWriter log)
    {
        var dir = Path.Combine(Path.GetTempPath(), "skatebot-bench-e2e", "first-view");
        Directory.CreateDirectory(dir);
        var copy = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(checkpoint)}-first-view-{value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}{CheckpointFile.Extension}");
        var (model, convention, info) = CheckpointFile.Load(checkpoint, TorchSharp.torch.CPU);
        using (model) CheckpointFile.Save(copy, model, convention, info with { FirstViewAbove = value });
        log.WriteLine($"model: {copy} (first view decides at {value:0.###}; the checkpoint's own: {info.EffectiveFirstViewAbove:0.###})");
        return copy;
    }

    /// <summary>data/sample of the repository this runs from (found by walking up to SkateBot.sln).</summary>
    public static string SamplesFolder()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "SkateBot.sln")) && Directory.Exists(Path.Combine(dir.FullName, "data", "sample")))
                    return Path.Combine(dir.FullName, "data", "sample");
        throw new DirectoryNotFoundException("data/sample not found above the working directory: run from the repository, or pass --model.");
    }
}
