using System.Text.Json;
using SkateBot.Discord.Models;

namespace SkateBot.Discord.Gateway;

/// <summary>
/// One dispatch (op 0) from the gateway: the event name (<c>t</c>), its sequence number (<c>s</c>) and its data
/// (<c>d</c>). Each dispatch of a session is delivered once, also across resumes. Use the typed helpers to read
/// <c>d</c>; they throw <see cref="InvalidOperationException"/> when called for the wrong event.
/// </summary>
public sealed record GatewayDispatch(string EventName, int? Sequence, JsonElement Data)
{
    public Message AsMessageCreate() => Read(DiscordJsonContext.Default.Message, GatewayEvents.MessageCreate, GatewayEvents.MessageUpdate);

    public MessageReactionEvent AsReaction() =>
        Read(DiscordJsonContext.Default.MessageReactionEvent, GatewayEvents.MessageReactionAdd, GatewayEvents.MessageReactionRemove);

    public Interaction AsInteraction() => Read(DiscordJsonContext.Default.Interaction, GatewayEvents.InteractionCreate);

    public Ready AsReady() => Read(DiscordJsonContext.Default.Ready, GatewayEvents.Ready);

    private T Read<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, params string[] events)
    {
        if (!events.Contains(EventName))
            throw new InvalidOperationException($"A {EventName} dispatch cannot be read as {typeof(T).Name} (expected {string.Join(" or ", events)}).");
        return DiscordJsonContext.Read(Data, info);
    }
}

/// <summary>Names of the dispatch events the bot handles (https://discord.com/developers/docs/events/gateway-events).</summary>
public static class GatewayEvents
{
    public const string Ready = "READY";
    public const string Resumed = "RESUMED";
    public const string MessageCreate = "MESSAGE_CREATE";
    public const string MessageUpdate = "MESSAGE_UPDATE";
    public const string MessageReactionAdd = "MESSAGE_REACTION_ADD";
    public const string MessageReactionRemove = "MESSAGE_REACTION_REMOVE";
    public const string InteractionCreate = "INTERACTION_CREATE";
}

/// <summary>Gateway opcodes (topics/opcodes-and-status-codes.mdx, "Gateway Opcodes").</summary>
public static class GatewayOpCode
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}
