using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SkateBot.Tests.Features.Downloads;

/// <summary>
/// An image host on 127.0.0.1 for the downloader's tests: one https listener with a self-signed certificate made at
/// test time (names: the allow-listed CDN hosts) and one plain http listener. Each test maps its own paths
/// (<see cref="Map"/>); every request and every body byte written is recorded, so a test can tell that a refused
/// URL was never fetched and that an oversized body was cut off while streaming.
/// </summary>
public sealed class LocalImageServer : IAsyncDisposable
{
    public static readonly string[] CertificateNames = ["cdn.discordapp.com", "media.discordapp.net", "i.redd.it", "preview.redd.it", "localhost"];
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();
    private WebApplication? _app;
    private long _bytesWritten;

    private LocalImageServer(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }
    public int HttpsPort { get; private set; }
    public int HttpPort { get; private set; }

    /// <summary>"host/path" of every request, in arrival order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public static async Task<LocalImageServer> StartAsync()
    {
        var server = new LocalImageServer(CreateCertificate());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(server.Certificate));
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server._app = app;
        var ports = app.Urls.Select(u => new Uri(u)).ToList();
        server.HttpsPort = ports.Single(u => u.Scheme == "https").Port;
        server.HttpPort = ports.Single(u => u.Scheme == "http").Port;
        return server;
    }

    /// <summary>Answers requests for <paramref name="path"/> (any host) with <paramref name="handler"/>.</summary>
    public void Map(string path, RequestDelegate handler) => _routes[path] = handler;

    public void MapBytes(string path, byte[] body) => Map(path, async c =>
    {
        c.Response.ContentLength = body.Length;
        await WriteAsync(c, body);
    });

    public void MapRedirect(string path, string location, int status = 302) => Map(path, c =>
    {
        c.Response.StatusCode = status;
        c.Response.Headers.Location = location;
        return Task.CompletedTask;
    });

    /// <summary>Writes and counts body bytes (flushing, so a cut-off shows up as a failed write, not a buffered one).</summary>
    public async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> bytes)
    {
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        Interlocked.Add(ref _bytesWritten, bytes.Length);
    }

    public bool Trusts(X509Certificate? certificate) =>
        certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        _requests.Enqueue(context.Request.Host.Host + path);
        if (_routes.TryGetValue(path, out var handler))
        {
            try { await handler(context); }
            catch (OperationCanceledException) { } // the client hung up, as it should on a refused body
            catch (IOException) { }
        }
        else
            context.Response.StatusCode = 404;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=skatebot-download-tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in CertificateNames) names.AddDnsName(name);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddMinutes(-5), TimeProvider.System.GetUtcNow().AddHours(1));
        // Kestrel on Linux needs the private key in an exportable, loadable form.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
