using System.Globalization;

namespace SkateBot.Bench.EndToEnd;

/// <summary>The command line. Every option has a default, so a bare run measures 8, 16 and 24 photos/s for 30 s each.</summary>
internal sealed record BenchOptions
{
    public IReadOnlyList<int> Rates { get; init; } = [8, 16, 24];
    public double Seconds { get; init; } = 30;
    /// <summary>Photos posted one by one before measuring (model load, ONNX export, JIT); not counted.</summary>
    public int Warmup { get; init; } = 8;
    /// <summary>A checkpoint to serve; without it a small model is trained once on data/sample and cached.</summary>
    public string? Model { get; init; }
    /// <summary>Run this rate once more with a retrain running in the background, and compare its p99 with the plain run.</summary>
    public int? RetrainRate { get; init; }
    /// <summary>Distinct authors per channel; 0 (default) gives every photo its own author, so the per-person photo limit
    /// (Discord:PhotosPerUserPerMinute, left at its configured value) never applies.</summary>
    public int UsersPerChannel { get; init; }
    /// <summary>Give the stand-in Discord's per-channel REST buckets (5 messages / 5 s, 1 reaction / 250 ms).</summary>
    public bool DiscordLimits { get; init; }
    /// <summary>After the last photo of a rate, how long without any new answer before the rest count as missing.</summary>
    public double StallSeconds { get; init; } = 60;
    public string? KeepData { get; init; }
    /// <summary>Post real photos from this folder (scaled to about 2 MP) instead of drawings.</summary>
    public string? Photos { get; init; }
    /// <summary>Serve a copy of the checkpoint whose first-view threshold is this (1: every view of every photo).</summary>
    public double? FirstViewAbove { get; init; }

    public const string Usage = """
        SkateBot.Bench.EndToEnd: photos through the Discord stand-in to the bot built as `serve` builds it (issue 11, target 7).

          --rates 8,16,24        photos per second, one run each (one channel per photo/s, one photo per second per channel)
          --seconds 30           how long each rate posts photos
          --warmup 8             photos answered one by one before measuring (not counted)
          --model PATH           serve this checkpoint (default: train a small one on data/sample once, cached in $TMPDIR)
          --retrain-rate R       afterwards run rate R again with a retrain in the background; compares p99
          --users-per-channel N  distinct authors per channel (default 0: a new author per photo)
          --discord-limits       the stand-in enforces Discord's per-channel buckets (5 posts / 5 s, 1 reaction / 250 ms)
          --stall 60             seconds without a new answer, after sending, before the rest count as missing
          --keep-data DIR        use DIR as the bot's data folder and keep it (default: a temp folder, deleted)
          --photos DIR           post the images under DIR (e.g. ../shared/photos/holdout), scaled to about 2 MP, instead of drawings
          --first-view-above P   serve a copy of the model whose first-view threshold is P (1: every view; to compare with its own)

        Exit code 0: every photo answered or declined exactly once; 1: a photo was missing or answered twice; 2: usage.
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--rates" => o with { Rates = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Positive).ToArray() },
                "--seconds" => o with { Seconds = PositiveDouble(Next()) },
                "--warmup" => o with { Warmup = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--model" => o with { Model = Next() },
                "--retrain-rate" => o with { RetrainRate = Positive(Next()) },
                "--users-per-channel" => o with { UsersPerChannel = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--discord-limits" => o with { DiscordLimits = true },
                "--stall" => o with { StallSeconds = PositiveDouble(Next()) },
                "--keep-data" => o with { KeepData = Next() },
                "--photos" => o with { Photos = Next() },
                "--first-view-above" => o with { FirstViewAbove = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f is > 0 and <= 1
                    ? f : throw new ArgumentException("--first-view-above must be above 0 and at most 1.") },
                _ => throw new ArgumentException($"unknown option '{args[i]}'."),
            };
        }
        if (o.Rates.Count == 0) throw new ArgumentException("--rates needs at least one rate.");
        return o;
    }

    private static int Positive(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"'{text}' is not a positive whole number.");

    private static double PositiveDouble(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"'{text}' is not a positive number.");
}
