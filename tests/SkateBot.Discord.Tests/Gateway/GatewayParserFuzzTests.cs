using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkateBot.Discord.Gateway;
using SkateBot.Discord.Models;
using SkateBot.Testing.Fuzzing;
using SkateBot.Testing.Paths;
using Xunit.Abstractions;

namespace SkateBot.Discord.Tests.Gateway;

/// <summary>
/// Fuzzes what the gateway does with a text frame (envelope, then the typed dispatch readers the bot calls) with seeded
/// mutations of the real payloads in ../shared/protocols/discord: the only exception that may come out is
/// <see cref="JsonException"/>, with a reason, and what is accepted keeps its non-nullable promises. 200 mutations per
/// file here; SKATEBOT_FUZZ_ITERATIONS=N runs N. A failure names the file and seed to replay.
/// </summary>
public sealed class GatewayParserFuzzTests(ITestOutputHelper output)
{
    private static readonly string Dir = Path.Combine(RepoPaths.Shared, "protocols", "discord");

    [SkippableFact]
    public void GatewayFrame_MutatedRealPayloads_AcceptedOrRejectedWithAReason()
    {
        Skip.If(!Directory.Exists(Dir), RepoPaths.SkipReasonWithoutShared("The gateway fuzz"));
        var iterations = JsonMutator.Iterations(200);
        var frames = Frames().ToList();
        Assert.NotEmpty(frames);
        var tally = FuzzRun.Run(frames, iterations, Read);
        output.WriteLine(tally.ToString());
        Assert.True(tally.Failures.Count == 0, string.Join("\n", tally.Failures.Take(20)));
        Assert.True(tally.Rejected > 0 && tally.Accepted > 0, "the mutations neither broke nor kept any payload");
    }

    /// <summary>What GatewayConnection does with a frame, then the reader the bot's pump calls for its event: null when
    /// accepted, the reason when rejected with <see cref="JsonException"/>; <paramref name="violation"/> names a
    /// non-nullable property left null.</summary>
    private static string? Read(byte[] frame, out string? violation)
    {
        violation = null;
        try
        {
            var payload = JsonSerializer.Deserialize(frame, DiscordJsonContext.Default.GatewayPayload) ?? throw new JsonException("The gateway sent a null payload.");
            if (payload.Op != GatewayOpCode.Dispatch) return null;
            var dispatch = new GatewayDispatch(payload.T ?? "", payload.S, payload.D ?? default);
            object? parsed = dispatch.EventName switch
            {
                GatewayEvents.Ready => dispatch.AsReady(),
                GatewayEvents.MessageCreate or GatewayEvents.MessageUpdate => dispatch.AsMessageCreate(),
                GatewayEvents.MessageReactionAdd or GatewayEvents.MessageReactionRemove => dispatch.AsReaction(),
                GatewayEvents.InteractionCreate => dispatch.AsInteraction(),
                _ => null,
            };
            if (parsed is not null) violation = NullabilityCheck.FirstViolation(parsed, typeof(Message).Namespace!);
            return null;
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    /// <summary>Whole gateway frames from the corpus; files holding only a dispatch's <c>d</c> are wrapped in an envelope
    /// named after their event, so the mutations reach the envelope and the data alike.</summary>
    private static IEnumerable<(string File, byte[] Frame)> Frames()
    {
        foreach (var path in Directory.GetFiles(Dir, "*.json").Where(f => !f.EndsWith(".meta.json", StringComparison.Ordinal)).Order())
        {
            var name = Path.GetFileName(path);
            var node = JsonNode.Parse(File.ReadAllBytes(path));
            if (node is not JsonObject obj) continue;
            string? eventName = name switch
            {
                _ when obj.ContainsKey("op") => null,
                _ when name.Contains("message-create-d", StringComparison.Ordinal) => GatewayEvents.MessageCreate,
                _ when name.Contains("reaction-add-d", StringComparison.Ordinal) => GatewayEvents.MessageReactionAdd,
                _ when name.Contains("reaction-remove-d", StringComparison.Ordinal) => GatewayEvents.MessageReactionRemove,
                _ when name.Contains("interaction-", StringComparison.Ordinal) => GatewayEvents.InteractionCreate,
                _ when name.Contains("ready-d", StringComparison.Ordinal) => GatewayEvents.Ready,
                _ when name.Contains("rest-message", StringComparison.Ordinal) => GatewayEvents.MessageCreate,
                _ => "",
            };
            if (eventName == "") continue; // REST bodies and tables: not gateway frames
            var frame = eventName is null ? obj : new JsonObject { ["op"] = 0, ["s"] = 42, ["t"] = eventName, ["d"] = obj };
            yield return (name, Encoding.UTF8.GetBytes(frame.ToJsonString()));
        }
    }
}
