using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkateBot.Discord.Models;

namespace SkateBot.Discord.Rest;

/// <summary>
/// Discord REST API v10 over an injected <see cref="HttpClient"/>, with rate-limit buckets, global pauses,
/// 429 and 5xx retries (see <see cref="RateLimiter"/>) and every wait on the injected <see cref="TimeProvider"/>.
/// Every message it sends has mentions disabled, whatever the caller set (see <see cref="NoMentions"/>).
/// </summary>
public sealed partial class DiscordRestClient
{
    private readonly HttpClient _http;
    private readonly DiscordClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RateLimiter _limiter;
    private readonly Uri _baseUri;

    public DiscordRestClient(HttpClient http, DiscordClientOptions options, TimeProvider? time = null, ILogger<DiscordRestClient>? logger = null)
    {
        _http = http;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<DiscordRestClient>.Instance;
        _limiter = new RateLimiter(_time);
        if (!Uri.TryCreate(options.ApiBaseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"Discord:ApiBaseUrl must be an absolute http(s) URL, got '{options.ApiBaseUrl}'.", nameof(options));
        _baseUri = baseUri;
    }

    public Task<GatewayBot> GetGatewayBotAsync(CancellationToken ct = default) =>
        SendAsync(Route(HttpMethod.Get, "gateway/bot", "gateway/bot", ""), null, DiscordJsonContext.Default.GatewayBot, ct);

    public Task<User> GetCurrentUserAsync(CancellationToken ct = default) =>
        SendAsync(Route(HttpMethod.Get, "users/@me", "users/@me", ""), null, DiscordJsonContext.Default.User, ct);

    public Task<Application> GetCurrentApplicationAsync(CancellationToken ct = default) =>
        SendAsync(Route(HttpMethod.Get, "applications/@me", "applications/@me", ""), null, DiscordJsonContext.Default.Application, ct);

    /// <summary>POST /channels/{channelId}/messages, as JSON or, with files, multipart (payload_json + files[n]). A retry
    /// after a 5xx carries the first attempt's nonce with <c>enforce_nonce</c>: when Discord had created the message before
    /// failing (a gateway timeout in front of it), it returns that message instead of posting it twice.</summary>
    public Task<Message> CreateMessageAsync(string channelId, MessageCreate message, IReadOnlyList<FileAttachment>? files = null, CancellationToken ct = default)
    {
        var body = message with
        {
            Attachments = message.Attachments ?? Metadata(files),
            Nonce = message.Nonce ?? NewNonce(),
            EnforceNonce = message.EnforceNonce ?? true,
        };
        var route = Route(HttpMethod.Post, "channels/{channel_id}/messages", $"channels/{RestRoute.Segment(channelId)}/messages", channelId);
        return SendAsync(route, Body(body, DiscordJsonContext.Default.MessageCreate, files), DiscordJsonContext.Default.Message, ct);
    }

    /// <summary>GET /channels/{channelId}/messages/{messageId}: the message with its reactions (needs READ_MESSAGE_HISTORY).</summary>
    public Task<Message> GetMessageAsync(string channelId, string messageId, CancellationToken ct = default)
    {
        var route = Route(HttpMethod.Get, "channels/{channel_id}/messages/{message_id}",
            $"channels/{RestRoute.Segment(channelId)}/messages/{RestRoute.Segment(messageId)}", channelId);
        return SendAsync(route, null, DiscordJsonContext.Default.Message, ct);
    }

    /// <summary>GET /channels/{channelId}/messages: the newest <paramref name="limit"/> (1–100) messages, or those before the
    /// message <paramref name="beforeMessageId"/>; newest first (needs VIEW_CHANNEL and READ_MESSAGE_HISTORY). Like every REST
    /// message they carry no guild_id or member.</summary>
    public async Task<IReadOnlyList<Message>> GetChannelMessagesAsync(string channelId, int limit = 50, string? beforeMessageId = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        var query = $"?limit={limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            + (beforeMessageId is null ? "" : $"&before={RestRoute.Segment(beforeMessageId)}");
        var route = Route(HttpMethod.Get, "channels/{channel_id}/messages", $"channels/{RestRoute.Segment(channelId)}/messages{query}", channelId);
        return await SendAsync(route, null, DiscordJsonContext.Default.ListMessage, ct).ConfigureAwait(false);
    }

    /// <summary>GET …/reactions/{emoji}: up to <paramref name="limit"/> (1–100) users who reacted with <paramref name="emoji"/>,
    /// by user id, after <paramref name="afterUserId"/> when given (page on with the last one's id). <paramref name="burst"/>
    /// asks for super reactions instead of normal ones.</summary>
    public async Task<IReadOnlyList<User>> GetReactionsAsync(string channelId, string messageId, string emoji, string? afterUserId = null,
        int limit = 100, bool burst = false, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        var query = $"?limit={limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            + (afterUserId is null ? "" : $"&after={RestRoute.Segment(afterUserId)}") + (burst ? "&type=1" : "");
        var route = Route(HttpMethod.Get, "channels/{channel_id}/messages/{message_id}/reactions/{emoji}",
            $"channels/{RestRoute.Segment(channelId)}/messages/{RestRoute.Segment(messageId)}/reactions/{RestRoute.Segment(emoji)}{query}", channelId);
        return await SendAsync(route, null, DiscordJsonContext.Default.ListUser, ct).ConfigureAwait(false);
    }

    /// <summary>GET /channels/{channelId}: its type and, for a guild channel, its guild.</summary>
    public Task<DiscordChannel> GetChannelAsync(string channelId, CancellationToken ct = default) =>
        SendAsync(Route(HttpMethod.Get, "channels/{channel_id}", $"channels/{RestRoute.Segment(channelId)}", channelId),
            null, DiscordJsonContext.Default.DiscordChannel, ct);

    /// <summary>GET /guilds/{guildId}/members/{userId}: the member with their role ids (404, code 10007, once they left).</summary>
    public Task<GuildMember> GetGuildMemberAsync(string guildId, string userId, CancellationToken ct = default) =>
        SendAsync(Route(HttpMethod.Get, "guilds/{guild_id}/members/{user_id}",
            $"guilds/{RestRoute.Segment(guildId)}/members/{RestRoute.Segment(userId)}", guildId), null, DiscordJsonContext.Default.GuildMember, ct);

    /// <summary>PATCH /channels/{channelId}/messages/{messageId}.</summary>
    public Task<Message> EditMessageAsync(string channelId, string messageId, MessageEdit edit, IReadOnlyList<FileAttachment>? files = null, CancellationToken ct = default)
    {
        var route = Route(HttpMethod.Patch, "channels/{channel_id}/messages/{message_id}",
            $"channels/{RestRoute.Segment(channelId)}/messages/{RestRoute.Segment(messageId)}", channelId);
        return SendAsync(route, Body(PrepareEdit(edit, files), DiscordJsonContext.Default.MessageEdit, files), DiscordJsonContext.Default.Message, ct);
    }

    /// <summary>PUT .../reactions/{emoji}/@me. <paramref name="emoji"/> is a unicode emoji ("✅") or "name:id" for a custom one.</summary>
    public Task CreateReactionAsync(string channelId, string messageId, string emoji, CancellationToken ct = default)
    {
        var route = Route(HttpMethod.Put, "channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
            $"channels/{RestRoute.Segment(channelId)}/messages/{RestRoute.Segment(messageId)}/reactions/{RestRoute.Segment(emoji)}/@me", channelId);
        return SendAsync<object>(route, null, null, ct);
    }

    /// <summary>POST /interactions/{id}/{token}/callback (must be sent within 3 s of the interaction).</summary>
    public Task CreateInteractionResponseAsync(string interactionId, string interactionToken, InteractionResponse response, IReadOnlyList<FileAttachment>? files = null, CancellationToken ct = default)
    {
        var data = response.Data;
        if (data is not null || files is { Count: > 0 })
        {
            data ??= new InteractionCallbackData();
            data = data with { Attachments = data.Attachments ?? Metadata(files) };
        }
        var route = Route(HttpMethod.Post, "interactions/{interaction_id}/{interaction_token}/callback",
            $"interactions/{RestRoute.Segment(interactionId)}/{RestRoute.Segment(interactionToken)}/callback", interactionId);
        return SendAsync<object>(route, Body(response with { Data = data }, DiscordJsonContext.Default.InteractionResponse, files), null, ct);
    }

    /// <summary>PATCH /webhooks/{applicationId}/{token}/messages/@original, e.g. after a deferred (type 5) response.</summary>
    public Task<Message> EditOriginalInteractionResponseAsync(string applicationId, string interactionToken, MessageEdit edit, IReadOnlyList<FileAttachment>? files = null, CancellationToken ct = default)
    {
        var route = Route(HttpMethod.Patch, "webhooks/{application_id}/{interaction_token}/messages/@original",
            $"webhooks/{RestRoute.Segment(applicationId)}/{RestRoute.Segment(interactionToken)}/messages/@original", applicationId + "/" + interactionToken);
        return SendAsync(route, Body(PrepareEdit(edit, files), DiscordJsonContext.Default.MessageEdit, files), DiscordJsonContext.Default.Message, ct);
    }

    /// <summary>POST /webhooks/{applicationId}/{token}: a follow-up message (set Flags = 64 for an ephemeral one).</summary>
    public Task<Message> CreateFollowupMessageAsync(string applicationId, string interactionToken, MessageCreate message, IReadOnlyList<FileAttachment>? files = null, CancellationToken ct = default)
    {
        var body = message with
        {
            Attachments = message.Attachments ?? Metadata(files),
        };
        var route = Route(HttpMethod.Post, "webhooks/{application_id}/{interaction_token}",
            $"webhooks/{RestRoute.Segment(applicationId)}/{RestRoute.Segment(interactionToken)}", applicationId + "/" + interactionToken);
        return SendAsync(route, Body(body, DiscordJsonContext.Default.MessageCreate, files), DiscordJsonContext.Default.Message, ct);
    }

    /// <summary>PUT /applications/{applicationId}/commands: replaces all global commands.</summary>
    public async Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGlobalCommandsAsync(string applicationId, IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default)
    {
        var route = Route(HttpMethod.Put, "applications/{application_id}/commands", $"applications/{RestRoute.Segment(applicationId)}/commands", applicationId);
        return await SendAsync(route, Body(commands.ToList(), DiscordJsonContext.Default.ListApplicationCommand, null), DiscordJsonContext.Default.ListApplicationCommand, ct).ConfigureAwait(false);
    }

    /// <summary>PUT /applications/{applicationId}/guilds/{guildId}/commands: replaces one guild's commands (instant, unlike global).</summary>
    public async Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGuildCommandsAsync(string applicationId, string guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default)
    {
        var route = Route(HttpMethod.Put, "applications/{application_id}/guilds/{guild_id}/commands",
            $"applications/{RestRoute.Segment(applicationId)}/guilds/{RestRoute.Segment(guildId)}/commands", guildId);
        return await SendAsync(route, Body(commands.ToList(), DiscordJsonContext.Default.ListApplicationCommand, null), DiscordJsonContext.Default.ListApplicationCommand, ct).ConfigureAwait(false);
    }

    /// <summary>A random positive 63-bit number in decimal (at most 19 characters; Discord allows 25): what a message that
    /// names no nonce gets, and what a caller keeps to send the same message again later.</summary>
    public static string NewNonce() => Random.Shared.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static RestRoute Route(HttpMethod method, string template, string path, string major) => new(method, template, path, major);

    private static MessageEdit PrepareEdit(MessageEdit edit, IReadOnlyList<FileAttachment>? files) => edit with
    {
        Attachments = edit.Attachments ?? Metadata(files),
    };

    /// <summary>New uploads are referenced from payload_json by their index in files[n].</summary>
    private static IReadOnlyList<AttachmentMetadata>? Metadata(IReadOnlyList<FileAttachment>? files) =>
        files is { Count: > 0 }
            ? files.Select((f, i) => new AttachmentMetadata { Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), Filename = f.FileName, Description = f.Description }).ToList()
            : null;
}
