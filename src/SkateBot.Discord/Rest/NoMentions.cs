using SkateBot.Discord.Models;

namespace SkateBot.Discord.Rest;

/// <summary>
/// The one place mentions are decided: every request body the REST client sends passes through here (from
/// <c>DiscordRestClient.Body</c>), and every message in it leaves with <c>allowed_mentions: {"parse": [], "replied_user": false}</c>,
/// whatever the caller set, so text such as "@everyone", "&lt;@id&gt;" or "&lt;@&amp;role&gt;" in a reply (a filename, a
/// user's own words echoed back) never pings anybody
/// (https://discord.com/developers/docs/resources/message#allowed-mentions-object).
/// </summary>
internal static class NoMentions
{
    public static T Apply<T>(T body) => body switch
    {
        MessageCreate m => (T)(object)(m with { AllowedMentions = AllowedMentions.None }),
        MessageEdit e => (T)(object)(e with { AllowedMentions = AllowedMentions.None }),
        InteractionResponse { Data: { } data } r => (T)(object)(r with { Data = data with { AllowedMentions = AllowedMentions.None } }),
        _ => body,
    };
}
