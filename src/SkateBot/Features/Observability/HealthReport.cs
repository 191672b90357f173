using System.Text.Json.Nodes;

namespace SkateBot.Features.Observability;

/// <summary>One part of the service and whether it is well, with what an operator needs to see (version, age…).</summary>
public sealed record HealthPart(string Name, bool Ok, string Detail, JsonObject Facts);

/// <summary>What <c>/healthz</c> answers: 200 when every part is well, 503 naming the ones that are not.</summary>
public sealed record HealthReport(IReadOnlyList<HealthPart> Parts)
{
    public bool Ok => Parts.All(p => p.Ok);

    public int StatusCode => Ok ? 200 : 503;

    public string ToJson()
    {
        var parts = new JsonObject();
        foreach (var part in Parts)
        {
            var node = new JsonObject { ["ok"] = part.Ok, ["detail"] = part.Detail };
            foreach (var (key, value) in part.Facts) node[key] = value?.DeepClone();
            parts[part.Name] = node;
        }
        return new JsonObject
        {
            ["status"] = Ok ? "ok" : "failing",
            ["failing"] = new JsonArray([.. Parts.Where(p => !p.Ok).Select(p => JsonValue.Create(p.Name))]),
            ["parts"] = parts,
        }.ToJsonString();
    }
}
