using System.Net;
using Microsoft.Extensions.Options;

namespace SkateBot.Features.Downloads;

/// <summary>A download refused or failed; the message is one line, safe to show to users (no URLs with tokens in logs).</summary>
public sealed class DownloadException(string message) : Exception(message);

/// <summary>
/// The one way the bot fetches images from the internet: https only (http only to loopback when allowed), only from
/// configured hosts, re-checked on every redirect hop, with a size cap enforced while streaming and a time limit.
/// </summary>
public sealed class ImageDownloader(HttpClient http, IOptions<DownloadOptions> options)
{
    public const string HttpClientName = "downloads";
    private readonly DownloadOptions settings = options.Value;

    public bool IsAllowed(Uri uri, out string reason)
    {
        if (!uri.IsAbsoluteUri) { reason = "not an absolute URL"; return false; }
        var loopback = uri.IsLoopback;
        if (uri.Scheme == Uri.UriSchemeHttp && !(loopback && settings.AllowInsecureLoopback)) { reason = "only https downloads are allowed"; return false; }
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) { reason = $"scheme {uri.Scheme} is not allowed"; return false; }
        if (loopback && settings.AllowInsecureLoopback) { reason = ""; return true; }
        var host = uri.IdnHost.ToLowerInvariant();
        var ok = settings.AllowedHosts.Any(a =>
        {
            var allowed = a.Trim().ToLowerInvariant();
            return allowed.StartsWith('.') ? host.EndsWith(allowed, StringComparison.Ordinal) || host == allowed[1..] : host == allowed;
        });
        reason = ok ? "" : $"host {host} is not in Downloads:AllowedHosts";
        return ok;
    }

    public async Task<byte[]> DownloadAsync(Uri url, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                if (!IsAllowed(current, out var reason)) throw new DownloadException($"Refused to download from {current.Host}: {reason}.");
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (IsRedirect(response.StatusCode))
                {
                    if (hop >= settings.MaxRedirects) throw new DownloadException($"Too many redirects fetching an image from {url.Host}.");
                    var location = response.Headers.Location ?? throw new DownloadException("A redirect without a Location header.");
                    current = location.IsAbsoluteUri ? location : new Uri(current, location);
                    continue;
                }
                if (!response.IsSuccessStatusCode) throw new DownloadException($"The image host answered {(int)response.StatusCode} {response.ReasonPhrase}.");
                if (response.Content.Headers.ContentLength > settings.MaxBytes)
                    throw new DownloadException($"The image is {response.Content.Headers.ContentLength / 1048576.0:0.0} MB, above the {settings.MaxBytes / 1048576.0:0.#} MB limit.");
                return await ReadCappedAsync(response.Content, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DownloadException($"Downloading the image took longer than {settings.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException ex) when (ex.InnerException is DownloadException refused)
        {
            throw new DownloadException(refused.Message); // the connect-time address check (DownloadHandler)
        }
        catch (HttpRequestException ex)
        {
            throw new DownloadException($"Could not download the image from {current.Host}: {ex.Message}");
        }
    }

    private async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > settings.MaxBytes)
                throw new DownloadException($"The image is larger than the {settings.MaxBytes / 1048576.0:0.#} MB limit.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static bool IsRedirect(HttpStatusCode code) => (int)code is 301 or 302 or 303 or 307 or 308;
}
