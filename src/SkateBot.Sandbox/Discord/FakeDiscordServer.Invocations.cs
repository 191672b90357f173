using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SkateBot.Sandbox.Discord;

/// <summary>
/// A user running a slash command: the client sends <c>POST /interactions</c> (payload_json with type 2, channel_id,
/// data.name, data.options; an attachment option's file as files[0]), Discord checks the command is registered and
/// dispatches INTERACTION_CREATE to the bot. The bot's answers (callback, @original edits, follow-ups) then appear in
/// that channel, ephemeral ones only for the user who ran the command.
/// </summary>
public sealed partial class FakeDiscordServer
{
    private const int EphemeralFlag = 64, LoadingFlag = 128;
    private readonly ConcurrentDictionary<string, FakeInvocation> _invocations = new(StringComparer.Ordinal);

    private async Task<FakeResponse> InvokeAsync(FakeDiscordUser user, RecordedRequest r)
    {
        if (ParseBody(r) is not { } body || (int?)body["type"] != 2 || body["data"] is not JsonObject data || (string?)data["name"] is not { } name)
            return FormError("data", "BASE_TYPE_REQUIRED", "An application command interaction needs type 2 and data.name.");
        if ((string?)body["channel_id"] is not { } channelId || !_channels.TryGetValue(channelId, out var channel))
            return FakeResponse.Error(404, 10003, "Unknown Channel");
        var command = Commands(channel.GuildId).Concat(Commands()).OfType<JsonObject>().FirstOrDefault(c => (string?)c["name"] == name);
        if (command is null)
            return FakeResponse.Error(404, 10063, "Unknown application command");
        JsonObject? attachment = null;
        string? attachmentOption = null;
        var options = new JsonArray();
        foreach (var option in (data["options"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if ((int?)option["type"] == 11)
            {
                var index = int.Parse((string?)option["value"]?.ToString() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                if (index < 0 || index >= r.Files.Count) return FormError("data.options", "ATTACHMENT_NOT_FOUND", "Attachment not found.");
                var file = r.Files[index];
                attachment = CreateAttachment(channelId, file.FileName, file.Content, file.ContentType ?? "application/octet-stream");
                attachmentOption = (string?)option["name"];
            }
            else
                options.Add(option.DeepClone());
        }
        var interaction = SlashCommand(name, channelId, channel.GuildId, user.Id, attachment, attachmentOption ?? "image", user.Roles,
            options.Count > 0 ? options : null);
        ((JsonObject)interaction["data"]!)["id"] = command["id"]!.DeepClone();
        interaction["member"]!["user"]!["username"] = user.Name;
        _invocations[(string)interaction["token"]!] = new FakeInvocation(channelId, user, name, (string)interaction["id"]!);
        await DispatchOrHoldAsync("INTERACTION_CREATE", interaction).ConfigureAwait(false);
        return new FakeResponse(204, null, new Dictionary<string, string>());
    }

    /// <summary>Where an interaction's messages live: the invoking channel for commands run through <see cref="InvokeAsync"/>,
    /// otherwise a channel of its own (tests dispatch INTERACTION_CREATE themselves, for channels the fake does not know).</summary>
    private string InteractionChannel(string token) =>
        _invocations.TryGetValue(token, out var invocation) ? invocation.ChannelId : "interaction-" + token;

    /// <summary>Marks the first answer to a user's command like Discord does: who ran what, "thinking" while deferred,
    /// visible only to them when ephemeral.</summary>
    private void DecorateInteractionMessage(string token, JsonObject message, int callbackType)
    {
        if (!_invocations.TryGetValue(token, out var invocation)) return;
        message["interaction_metadata"] = new JsonObject
        {
            ["id"] = invocation.InteractionId, ["type"] = 2, ["name"] = invocation.CommandName,
            ["user"] = new JsonObject { ["id"] = invocation.User.Id, ["username"] = invocation.User.Name },
        };
        var flags = message["flags"] is JsonValue v && v.TryGetValue<int>(out var f) ? f : 0;
        if (callbackType == 5) flags |= LoadingFlag;
        message["flags"] = flags;
        if ((flags & EphemeralFlag) != 0) _visibleOnlyTo[(string)message["id"]!] = invocation.User.Id;
    }
}
