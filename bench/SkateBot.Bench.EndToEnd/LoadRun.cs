using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkateBot.Bench.EndToEnd;

/// <summary>What became of one photo: when the stand-in dispatched its MESSAGE_CREATE, and the bot's replies to it.</summary>
internal sealed class PhotoRecord(string messageId, string channelId, DateTimeOffset dispatchedAt)
{
    public string MessageId => messageId;
    public string ChannelId => channelId;
    public DateTimeOffset DispatchedAt => dispatchedAt;
    public List<(DateTimeOffset At, bool Answer, string Text)> Replies { get; } = [];
    public double? LatencyMs => Replies.Count == 0 ? null : (Replies[0].At - dispatchedAt).TotalMilliseconds;
}

/// <summary>The figures of one rate.</summary>
internal sealed record RateResult(
    int Rate, double Seconds, int Sent, double AchievedRate, int Answered, int Declined, int Missing, int Duplicates,
    double P50, double P90, double P99, double Max, double DeclineP50, double DeclineP99, int BacklogPeak, int BacklogAtEnd, double DrainSeconds,
    IReadOnlyDictionary<string, int> DeclineReasons, string Load, string? Note);

/// <summary>
/// Posts photos at <c>rate</c> per second for <c>seconds</c>, over <c>rate</c> channels, each channel getting one photo per
/// second (the channels staggered evenly inside the second), then waits until every photo has a reply or none came for
/// the stall time. A reply is the bot's POST /channels/{id}/messages whose message_reference names the photo's message,
/// as the stand-in received it (2xx): with an embed it is an answer, without one a decline (a polite note). Percentiles are
/// of the answers; the declines' own are reported beside them. Latency runs
/// from just before the stand-in dispatches MESSAGE_CREATE on the gateway to the stand-in's receipt of the reply POST
/// (both read from the same clock, DateTimeOffset.UtcNow, as the stand-in stamps requests).
/// </summary>
internal sealed class LoadRun(BotUnderTest bot, PhotoPool photos, BenchOptions options, TextWriter log)
{
    private readonly Dictionary<string, PhotoRecord> _photos = new(StringComparer.Ordinal);
    private int _cursor;
    private long _authors;

    /// <summary>Posts <paramref name="count"/> photos one after the other, each waiting for its reply (not measured).</summary>
    public async Task WarmUpAsync(int count, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            var record = await PostAsync(bot.Channels[i % bot.Channels.Count], ct);
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                lock (_photos) { Collect(); if (record.Replies.Count > 0) break; }
                if (deadline.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("no reply to a warm-up photo in 10 minutes.");
                await Task.Delay(20, ct);
            }
            log.WriteLine($"  warm-up {i + 1}/{count}: {record.LatencyMs:0} ms{(record.Replies[0].Answer ? "" : " (declined: " + record.Replies[0].Text + ")")}");
        }
        _photos.Clear();
    }

    public async Task<RateResult> RunAsync(int rate, Func<string?>? note, CancellationToken ct)
    {
        Collect();
        _photos.Clear();
        var channels = bot.Channels.Take(rate).ToArray();
        var total = (int)Math.Round(rate * options.Seconds);
        var sent = new List<PhotoRecord>(total);
        var backlogPeak = 0;
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (!ct.IsCancellationRequested && clock.Elapsed.TotalSeconds < options.Seconds + 0.5)
            {
                await Task.Delay(250, ct);
                int outstanding;
                lock (_photos) { Collect(); outstanding = _photos.Values.Count(p => p.Replies.Count == 0); }
                backlogPeak = Math.Max(backlogPeak, outstanding);
            }
        }, ct);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);   // photo i goes to channel i % rate: each channel once a second
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, ct);
            var record = await PostAsync(channels[i % channels.Length], ct);
            sent.Add(record);
        }
        var sendSeconds = clock.Elapsed.TotalSeconds + 1.0 / rate;   // the last photo's second included
        await sampler;
        int atEnd;
        lock (_photos) { Collect(); atEnd = sent.Count(p => p.Replies.Count == 0); }
        // Drain: until every photo has a reply, or none came for the stall time.
        var drain = Stopwatch.StartNew();
        var lastProgress = Stopwatch.StartNew();
        var waiting = atEnd;
        while (waiting > 0 && lastProgress.Elapsed.TotalSeconds < options.StallSeconds)
        {
            await Task.Delay(100, ct);
            int now;
            lock (_photos) { Collect(); now = sent.Count(p => p.Replies.Count == 0); }
            if (now < waiting) lastProgress.Restart();
            waiting = now;
        }
        var drainSeconds = waiting == 0 ? drain.Elapsed.TotalSeconds : double.NaN;
        // Late duplicates: give a replay a moment to show up.
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        lock (_photos) Collect();
        return Summarise(rate, sent, sendSeconds, backlogPeak, atEnd, drainSeconds, note?.Invoke());
    }

    private RateResult Summarise(int rate, List<PhotoRecord> sent, double sendSeconds, int backlogPeak, int atEnd, double drainSeconds, string? note)
    {
        // Answers and declines apart: a quick "busy" note must not make the answers' percentiles look better.
        var latencies = sent.Where(p => p.Replies.Count > 0 && p.Replies[0].Answer).Select(p => p.LatencyMs!.Value).Order().ToArray();
        var declineLatencies = sent.Where(p => p.Replies.Count > 0 && !p.Replies[0].Answer).Select(p => p.LatencyMs!.Value).Order().ToArray();
        var declines = sent.Where(p => p.Replies.Count > 0 && !p.Replies[0].Answer)
            .GroupBy(p => Shorten(p.Replies[0].Text)).ToDictionary(g => g.Key, g => g.Count());
        return new RateResult(rate, options.Seconds, sent.Count, sent.Count / Math.Max(sendSeconds, 1e-9),
            sent.Count(p => p.Replies.Count > 0 && p.Replies[0].Answer), sent.Count(p => p.Replies.Count > 0 && !p.Replies[0].Answer),
            sent.Count(p => p.Replies.Count == 0), sent.Count(p => p.Replies.Count > 1),
            Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99), latencies.Length == 0 ? double.NaN : latencies[^1],
            Percentile(declineLatencies, 0.50), Percentile(declineLatencies, 0.99),
            Math.Max(backlogPeak, atEnd), atEnd, drainSeconds, declines, Load.Average(), note);
    }

    private static string Shorten(string text) => text.Length <= 70 ? text : text[..70] + "…";

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private async Task<PhotoRecord> PostAsync(string channel, CancellationToken ct)
    {
        var fake = bot.Fake;
        var photo = photos.Next();
        var n = Interlocked.Increment(ref _authors);
        var author = options.UsersPerChannel > 0
            ? 310_000_000_000_000_000 + long.Parse(channel, CultureInfo.InvariantCulture) % 100_000 * 1000 + n % options.UsersPerChannel
            : 320_000_000_000_000_000 + n;
        var attachment = fake.CreateAttachment(channel, $"skate-{n}.jpg", photo.Bytes, "image/jpeg", photo.Width, photo.Height);
        var message = fake.UserMessage(channel, "", [attachment], BotUnderTest.Guild, author.ToString(CultureInfo.InvariantCulture), "skater" + n);
        var record = new PhotoRecord((string)message["id"]!, channel, DateTimeOffset.UtcNow);
        lock (_photos) _photos[record.MessageId] = record;
        await fake.DispatchAsync("MESSAGE_CREATE", message);
        return record;
    }

    private static bool IsCreateMessage(string path) =>
        path.Split('/') is ["", "channels", { Length: > 0 }, "messages"];

    /// <summary>Reads the stand-in's requests received since the last call and files each reply under its photo.</summary>
    private void Collect()
    {
        lock (_photos)
        {
            var requests = bot.Fake.Requests;
            for (; _cursor < requests.Count; _cursor++)
            {
                var r = requests[_cursor];
                if (r.Method != "POST" || r.Status is < 200 or > 299 || !IsCreateMessage(r.Path) || r.Body is null) continue;
                if (r.Header("Authorization")?.StartsWith("Bot ", StringComparison.Ordinal) != true) continue;
                var body = JsonNode.Parse(r.Body) as JsonObject;
                if ((string?)body?["message_reference"]?["message_id"] is not { } id || !_photos.TryGetValue(id, out var photo)) continue;
                var answer = body["embeds"] is JsonArray { Count: > 0 };
                photo.Replies.Add((r.At, answer, (string?)body["content"] ?? ""));
            }
        }
    }
}

/// <summary>The machine's load average, as /proc/loadavg has it (1, 5, 15 minutes).</summary>
internal static class Load
{
    public static string Average()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }
}
