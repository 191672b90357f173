using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Configuration;
using SkateBot.Features.Observability;

namespace SkateBot.Cli;

/// <summary>
/// <c>health</c>: asks a running <c>serve</c> for <c>/healthz</c> on <c>Observability:Url</c> and exits 0 only on 200.
/// The container's <c>HEALTHCHECK</c> runs it (the ASP.NET Core image has no curl); operators can run it too.
/// A wildcard bind address (0.0.0.0, ::) is asked on loopback, where the service also listens.
/// </summary>
public static class HealthCommand
{
    public const int ExitUnhealthy = 1;

    public static Command Create(Func<IConfiguration> configuration, TextWriter output, TextWriter error)
    {
        var url = new Option<string?>("--url") { Description = "The service's Observability:Url (default: the configured one)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the answer.", DefaultValueFactory = _ => 5 };
        var command = new Command("health", "Ask the running service's /healthz; exit code 0 when healthy, 1 when not or unreachable.") { url, timeout };
        command.SetAction(async (parse, ct) =>
            await CheckAsync(parse.GetValue(url) ?? ObservabilityOptions.EffectiveUrl(configuration()), TimeSpan.FromSeconds(parse.GetValue(timeout)),
                output, error, ct).ConfigureAwait(false));
        return command;
    }

    public static async Task<int> CheckAsync(string url, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var endpoint = ObservabilityOptions.ParseUrl(url);
        if (endpoint is null)
        {
            error.WriteLine(string.IsNullOrWhiteSpace(url)
                ? "error: Observability:Url is empty, so the service serves no /healthz; set it (e.g. http://127.0.0.1:9464) to check health."
                : $"error: '{url}' is not an http://<address>:<port> address (Observability:Url).");
            return CliApp.ExitUsage;
        }
        var address = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : endpoint.Address;
        var target = new Uri($"http://{new IPEndPoint(address, endpoint.Port)}/healthz");
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync(target, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            output.WriteLine($"{(int)response.StatusCode} {target}: {body}");
            return response.StatusCode == HttpStatusCode.OK ? 0 : ExitUnhealthy;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error.WriteLine($"error: no answer from {target} ({(ex is TaskCanceledException ? $"timed out after {timeout.TotalSeconds:0.#} s" : ex.Message)}); is serve running with this Observability:Url?");
            return ExitUnhealthy;
        }
    }
}
