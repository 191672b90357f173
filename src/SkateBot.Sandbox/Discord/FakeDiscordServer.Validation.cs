using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SkateBot.Sandbox.Discord;

public sealed partial class FakeDiscordServer
{
    /// <summary>Checks Discord enforces on message bodies (message.mdx "Create Message", limits from the docs).</summary>
    private FakeResponse? ValidateMessage(JsonObject body, RecordedRequest r, bool requireContent)
    {
        var content = (string?)body["content"];
        var embeds = body["embeds"] as JsonArray;
        if (requireContent && string.IsNullOrEmpty(content) && (embeds is null || embeds.Count == 0) && r.Files.Count == 0)
            return FakeResponse.Error(400, 50006, "Cannot send an empty message");
        if (content?.Length > 2000)
            return FormError("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
        if (embeds?.Count > 10)
            return FormError("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
        if (body["message_reference"] is JsonObject reference && (string?)reference["message_id"] is { } target
            && !_messages.ContainsKey(target) && reference["fail_if_not_exists"]?.GetValue<bool>() != false)
            return FormError("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
        for (var i = 0; i < r.Files.Count; i++)
        {
            if (r.Files[i].FieldName != $"files[{i}]")
                return FormError($"files[{i}]", "BASE_TYPE_REQUIRED", $"Expected the form field files[{i}], got {r.Files[i].FieldName}.");
        }
        return null;
    }

    private static FakeResponse FormError(string field, string code, string message) =>
        FakeResponse.Error(400, 50035, "Invalid Form Body",
            new JsonObject { [field] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) } }.ToJsonString());

    /// <summary>Attachment objects for uploaded files, stored on the fake CDN; filename/description come from the
    /// payload's attachments metadata when it names the file's index.</summary>
    private JsonArray UploadedAttachments(string channelId, IReadOnlyList<RecordedFile> files, JsonObject body)
    {
        var result = new JsonArray();
        for (var i = 0; i < files.Count; i++)
        {
            var meta = (body["attachments"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(a => a["id"]?.ToString() == i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var name = (string?)meta?["filename"] ?? files[i].FileName;
            result.Add(CreateAttachment(channelId, name, files[i].Content, files[i].ContentType ?? "application/octet-stream"));
        }
        return result;
    }

    private static readonly Regex CommandName = new(@"^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$", RegexOptions.CultureInvariant);

    /// <summary>Bulk overwrite: validates names (lower case, 1–32) and descriptions (1–100), assigns ids, replaces all.</summary>
    private FakeResponse PutCommands(string guildId, RecordedRequest r)
    {
        if (r.Body is null || JsonNode.Parse(r.Body) is not JsonArray commands)
            return FakeResponse.Error(400, 50035, "Invalid Form Body", """{"_errors":[{"code":"BASE_TYPE_ARRAY","message":"Must be an array."}]}""");
        var stored = new JsonArray();
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i] is not JsonObject command) return FormError($"{i}", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
            if (!CommandName.IsMatch((string?)command["name"] ?? "")) return FormError($"{i}.name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
            if (((string?)command["description"])?.Length is not (>= 1 and <= 100)) return FormError($"{i}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
            foreach (var option in (command["options"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                if (!CommandName.IsMatch((string?)option["name"] ?? "")) return FormError($"{i}.options.name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
                if (((string?)option["description"])?.Length is not (>= 1 and <= 100)) return FormError($"{i}.options.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
            }
            var copy = (JsonObject)command.DeepClone();
            copy["id"] = NextId();
            copy["application_id"] = Options.ApplicationId;
            copy["type"] ??= 1;
            if (guildId.Length > 0) copy["guild_id"] = guildId;
            stored.Add(copy);
        }
        _commands[guildId] = stored;
        return Ok(stored.DeepClone());
    }
}
