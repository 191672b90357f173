namespace SkateBot.Features.Observability;

/// <summary>Counts every request the Discord and Reddit clients send, by status (see <see cref="SkateBotMetrics.ApiRequest"/>),
/// as a handler on their named HTTP clients, so the protocol libraries need no metrics code of their own.</summary>
public sealed class ApiRequestMetrics(SkateBotMetrics metrics, string service) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.ApiRequest(service, (int)response.StatusCode);
            return response;
        }
        catch (HttpRequestException)
        {
            metrics.ApiRequest(service, null);
            throw;
        }
    }
}
