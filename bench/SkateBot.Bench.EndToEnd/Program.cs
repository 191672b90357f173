using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SkateBot.Bench.EndToEnd;
using SkateBot.Configuration;
using SkateBot.Features.Retraining;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{BenchOptions.Usage}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;
var log = Console.Out;
log.WriteLine($"SkateBot end-to-end bench: rates {string.Join(",", options.Rates)} photos/s, {options.Seconds} s each; load average {Load.Average()}; {Environment.ProcessorCount} cores");

var configuration = SkateBotConfiguration.Build();
string? samples = null;
try { samples = BenchModel.SamplesFolder(); }
catch (DirectoryNotFoundException) when (options.Model is not null) { }
var checkpoint = await BenchModel.GetAsync(options, configuration, samples ?? BenchModel.SamplesFolder(), log, ct);
if (options.FirstViewAbove is { } firstView) checkpoint = BenchModel.WithFirstViewAbove(checkpoint, firstView, log);

var clock = Stopwatch.StartNew();
var pool = options.Photos is { } folder ? PhotoPool.FromFolder(folder) : new PhotoPool(24, seed: 11);
var sizes = pool.Drawings.Select(d => d.Length / 1024.0).Order().ToArray();
log.WriteLine($"photos: {pool.Description} (JPEG q90, {sizes[0]:0}–{sizes[^1]:0} KB, median {sizes[sizes.Length / 2]:0} KB), made in {clock.Elapsed.TotalSeconds:0.0} s; each photo gets its own bytes");

var channelCount = options.Rates.Append(options.RetrainRate ?? 0).Max();
await using var bot = await BotUnderTest.StartAsync(configuration, checkpoint, samples, channelCount, options, ct);
log.WriteLine($"bot: up against the stand-in at {bot.Fake.BaseUrl} ({channelCount} channels, data {bot.DataDirectory}); model {checkpoint}");
var run = new LoadRun(bot, pool, options, log);
log.WriteLine($"warm-up: {options.Warmup} photos one by one");
await run.WarmUpAsync(options.Warmup, ct);

var results = new List<RateResult>();
foreach (var rate in options.Rates)
{
    log.WriteLine($"rate {rate}/s: posting for {options.Seconds} s (load average {Load.Average()})");
    log.Flush();
    var result = await run.RunAsync(rate, null, ct);
    results.Add(result);
    Report.Line(log, result);
}

RateResult? retrained = null;
if (options.RetrainRate is { } retrainRate)
{
    var retraining = bot.Host.Services.GetRequiredService<RetrainingService>();
    using var stopRetrain = CancellationTokenSource.CreateLinkedTokenSource(ct);
    var started = Stopwatch.StartNew();
    var retrain = retraining.RetrainAsync("end-to-end bench", null, stopRetrain.Token);
    await SkateBot.Sandbox.Discord.FakeDiscordServer.WaitUntilAsync(() => retraining.IsRunning || retrain.IsCompleted, TimeSpan.FromSeconds(30), "the retrain to start");
    log.WriteLine($"rate {retrainRate}/s with a retrain in the background: posting for {options.Seconds} s (load average {Load.Average()})");
    retrained = await run.RunAsync(retrainRate, () => retrain.IsCompleted
        ? $"retrain finished during the run ({retrain.Result.Status}) after {started.Elapsed.TotalSeconds:0} s"
        : $"retrain still training after {started.Elapsed.TotalSeconds:0} s (cancelled now)", ct);
    Report.Line(log, retrained);
    await stopRetrain.CancelAsync();
    var outcome = await retrain;
    log.WriteLine($"  retrain: {outcome.Status}: {outcome.Reason}");
}

Report.Table(log, results, retrained, options);
if (options.DiscordLimits)
    log.WriteLine($"stand-in rate limits: {bot.Fake.RateLimitViolations} requests arrived over a bucket's limit (429)");
var bad = results.Append(retrained).OfType<RateResult>().Where(r => r.Missing > 0 || r.Duplicates > 0).ToList();
foreach (var r in bad)
    log.WriteLine($"FAIL at {r.Rate}/s: {r.Missing} photos got no reply (silently dropped), {r.Duplicates} were answered more than once.");
log.WriteLine(bad.Count == 0 ? "every photo was answered or declined exactly once." : "");
return bad.Count == 0 ? 0 : 1;
