using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;

namespace SkateBot.Discord.Gateway;

/// <summary>
/// The Discord gateway (https://discord.com/developers/docs/events/gateway), JSON encoding, no compression.
/// <para>Usage: start <see cref="RunAsync"/> (it runs until cancelled or a fatal close code) and read
/// <see cref="Dispatches"/> (or <see cref="ReadDispatchesAsync"/>) concurrently. Every dispatch of a session, READY and
/// RESUMED included, arrives once and in order, also across resumes; the reader is completed when RunAsync ends, with
/// the <see cref="DiscordGatewayFatalException"/> when that is why. The channel is unbounded so a slow consumer never
/// delays heartbeats; hand long work off instead of doing it in the read loop.</para>
/// </summary>
public sealed class DiscordGatewayClient
{
    private readonly DiscordRestClient _rest;
    private readonly DiscordClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GatewaySession _session = new();
    private readonly Channel<GatewayDispatch> _dispatches =
        Channel.CreateUnbounded<GatewayDispatch>(new UnboundedChannelOptions { SingleWriter = true });
    private int _running;

    public DiscordGatewayClient(DiscordRestClient rest, DiscordClientOptions options, TimeProvider? time = null, ILogger<DiscordGatewayClient>? logger = null)
    {
        if (string.IsNullOrWhiteSpace(options.Token))
            throw new ArgumentException("The Discord bot token is not set: set Discord:Token.", nameof(options));
        if (options.ShardCount < 1 || options.ShardId < 0 || options.ShardId >= options.ShardCount)
            throw new ArgumentException($"Discord:ShardId ({options.ShardId}) must be at least 0 and below Discord:ShardCount ({options.ShardCount}).", nameof(options));
        _rest = rest;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<DiscordGatewayClient>.Instance;
    }

    /// <summary>Dispatch events in order, each once.</summary>
    public ChannelReader<GatewayDispatch> Dispatches => _dispatches.Reader;

    public IAsyncEnumerable<GatewayDispatch> ReadDispatchesAsync(CancellationToken ct = default) => _dispatches.Reader.ReadAllAsync(ct);

    /// <summary>Whether a session is up now (READY or RESUMED received, connection not ended).</summary>
    public bool IsConnected => _session.Connected;

    /// <summary>The bot user from the latest READY, or null before it.</summary>
    public User? CurrentUser => _session.User;

    /// <summary>The application id from the latest READY (needed for interaction follow-ups), or null before it.</summary>
    public string? ApplicationId => _session.ApplicationId;

    /// <summary>Connects, identifies and keeps the session alive (heartbeats, resume, re-identify, back-off) until
    /// <paramref name="ct"/> is cancelled. Throws <see cref="DiscordGatewayFatalException"/> for close codes that
    /// reconnecting cannot fix. Can be called once.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
            throw new InvalidOperationException("DiscordGatewayClient.RunAsync can only be called once.");
        Exception? failure = null;
        try
        {
            await RunLoopAsync(ct).ConfigureAwait(false);
        }
        catch (DiscordGatewayFatalException e)
        {
            GatewayLog.Fatal(_logger, e.Message);
            failure = e;
            throw;
        }
        finally
        {
            _dispatches.Writer.TryComplete(failure);
        }
    }

    private async Task RunLoopAsync(CancellationToken ct)
    {
        // Cache the URL from GET /gateway/bot: re-identifies go back to it, resumes use resume_gateway_url.
        GatewayBot? bot = _options.GatewayUrlOverride is null ? await FetchGatewayBotAsync(ct).ConfigureAwait(false) : null;
        var gatewayUrl = _options.GatewayUrlOverride ?? bot!.Url;
        var gate = new IdentifyGate(_time, _options.IdentifyConcurrencyWindow, bot?.SessionStartLimit,
            bot is null ? null : async token => (await _rest.GetGatewayBotAsync(token).ConfigureAwait(false)).SessionStartLimit);
        var failures = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var resume = _session.CanResume;
            var uri = GatewayUri.Build(resume ? _session.ResumeGatewayUrl ?? gatewayUrl : gatewayUrl);
            GatewayLog.Connecting(_logger, uri.Authority, resume ? "resume" : "identify");
            var connection = new GatewayConnection(_options, _session, gate, _dispatches.Writer, _time, _logger);
            var result = await connection.RunAsync(uri, resume, ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();

            switch (result.Action)
            {
                case ReconnectAction.Fatal:
                    var code = result.CloseCode ?? 0;
                    throw new DiscordGatewayFatalException(code, GatewayCloseCodes.FatalMessage(code, _options));
                case ReconnectAction.Reidentify:
                    _session.Reset();
                    if (result.InvalidSession)
                        await DelayAsync(RandomBetween(_options.InvalidSessionDelayMin, _options.InvalidSessionDelayMax), ct).ConfigureAwait(false);
                    break;
            }
            failures = result.Established ? 0 : failures + 1;
            if (failures > 0)
                await DelayAsync(Backoff(failures), ct).ConfigureAwait(false);
        }
    }

    /// <summary>GET /gateway/bot, retried while Discord or the network is down; a 401 means the token is wrong, which
    /// retrying cannot fix.</summary>
    private async Task<GatewayBot> FetchGatewayBotAsync(CancellationToken ct)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await _rest.GetGatewayBotAsync(ct).ConfigureAwait(false);
            }
            catch (DiscordApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                throw new DiscordGatewayFatalException(4004, GatewayCloseCodes.FatalMessage(4004, _options));
            }
            catch (Exception e) when (e is HttpRequestException || e is DiscordApiException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError })
            {
                GatewayLog.ConnectionFailed(_logger, e.Message);
                await DelayAsync(Backoff(failures), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Exponential back-off with jitter: base × 2^(n-1), capped, times a random factor in [0.5, 1).</summary>
    private TimeSpan Backoff(int failures)
    {
        var exponential = _options.ReconnectDelayBase * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = exponential < _options.ReconnectDelayMax ? exponential : _options.ReconnectDelayMax;
        return capped * (0.5 + Random.Shared.NextDouble() / 2);
    }

    private static TimeSpan RandomBetween(TimeSpan min, TimeSpan max) =>
        max <= min ? min : min + (max - min) * Random.Shared.NextDouble();

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        if (delay <= TimeSpan.Zero) return;
        GatewayLog.Backoff(_logger, (long)delay.TotalMilliseconds);
        await Task.Delay(delay, _time, ct).ConfigureAwait(false);
    }
}
