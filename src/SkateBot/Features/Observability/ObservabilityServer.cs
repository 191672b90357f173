using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.Observability;

/// <summary>
/// <c>/healthz</c> and <c>/metrics</c> on <c>Observability:Url</c> only (loopback by default), on a small Kestrel app of
/// its own beside the bot's host, so the bot stays a plain generic host and nothing else is served. Started before the
/// other hosted services, so a taken port stops <c>serve</c> at once with one line saying which key to change.
/// </summary>
public sealed partial class ObservabilityServer(
    IConfiguration configuration, IOptions<ObservabilityOptions> options, HealthProbe health, SkateBotMetrics metrics, ModelHost model,
    ILoggerFactory loggerFactory, ILogger<ObservabilityServer> logger, Storage.SkateDatabase? db = null) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where it listens (the real port when <c>Observability:Url</c> asked for port 0); null until started.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = options.Value; // validated (ValidateOnStart); the address itself is read as AddObservability read it
        var url = ObservabilityOptions.EffectiveUrl(configuration);
        var endpoint = ObservabilityOptions.ParseUrl(url) ?? throw new InvalidOperationException($"Observability:Url '{url}' is not an http address.");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear(); // nothing from ASPNETCORE_* or appsettings: only what Observability:Url says
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint));
        var app = builder.Build();
        app.MapGet("/healthz", Healthz);
        app.MapGet("/metrics", Metrics);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            var reason = ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException ? "the port is already in use" : ex.Message;
            throw new IOException(
                $"Observability:Url {url}: cannot listen there ({reason}); set Observability:Url to a free address, or to \"\" to turn /healthz and /metrics off.", ex);
        }
        _app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Address = new Uri(bound ?? $"http://{endpoint}");
        LogListening(logger, Address.ToString().TrimEnd('/'));
    }

    private async Task Healthz(HttpContext context)
    {
        var report = health.Check();
        context.Response.StatusCode = report.StatusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(report.ToJson(), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task Metrics(HttpContext context)
    {
        metrics.ServingModel(model.CurrentVersion);
        try
        {
            if (db is not null) metrics.PostsWaiting(db.Outbox.Count());
        }
        catch (Exception ex) when (ex is Storage.StorageFullException or IOException or LiteDB.LiteException)
        {
            // the last count stays; /healthz says what is wrong with the database
        }
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync().ConfigureAwait(false);
        _app = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health and metrics on {Url}/healthz and {Url}/metrics.")]
    private static partial void LogListening(ILogger logger, string url);
}
