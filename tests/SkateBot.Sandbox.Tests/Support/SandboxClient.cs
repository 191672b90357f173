using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkateBot.Sandbox.Site;

namespace SkateBot.Sandbox.Tests.Support;

/// <summary>Uses a running sandbox the way its page does: Discord REST with a user token.</summary>
public sealed class SandboxClient(string url, string token = SandboxWorld.MemberToken) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(url + "discord/api/v10/"), Timeout = TimeSpan.FromSeconds(30) };

    public async Task<JsonObject> PostPhotoAsync(string channelId, byte[] bytes, string fileName = "skate.jpg")
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("""{"content":""}"""), "payload_json");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "files[0]", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"channels/{channelId}/messages") { Content = form };
        request.Headers.TryAddWithoutValidation("Authorization", token);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public async Task<IReadOnlyList<JsonObject>> MessagesAsync(string channelId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"channels/{channelId}/messages?limit=100");
        request.Headers.TryAddWithoutValidation("Authorization", token);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize<JsonArray>(await response.Content.ReadAsStringAsync())!.OfType<JsonObject>().ToList();
    }

    public void Dispose() => _http.Dispose();
}
