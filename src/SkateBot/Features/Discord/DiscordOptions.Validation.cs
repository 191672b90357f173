using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SkateBot.Features.Discord;

/// <summary>Rules across keys, checked by <c>serve</c> at start and by <c>config check</c>.</summary>
public sealed partial class DiscordOptions
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (key, value) in Ids())
            if (!IsSnowflake(value))
                yield return new ValidationResult($"{Section}:{key} must be a Discord id (a snowflake: up to 20 digits), not '{value}'.", [key]);
    }

    /// <summary>Every id setting that has a value (empty means "not set" and is allowed).</summary>
    private IEnumerable<(string Key, string Value)> Ids()
    {
        foreach (var (name, values) in new[] { (nameof(Channels), Channels), (nameof(OperatorUserIds), OperatorUserIds), (nameof(OperatorRoleIds), OperatorRoleIds) })
            for (var i = 0; i < values.Length; i++)
                if (!string.IsNullOrWhiteSpace(values[i])) yield return ($"{name}:{i}", values[i]);
        foreach (var (name, value) in new[] { (nameof(ReviewChannelId), ReviewChannelId), (nameof(FeedChannelId), FeedChannelId), (nameof(OperatorChannelId), OperatorChannelId), (nameof(GuildId), GuildId) })
            if (!string.IsNullOrWhiteSpace(value)) yield return (name, value);
    }

    // https://discord.com/developers/docs/reference#snowflakes: a 64-bit unsigned integer, sent as a decimal string.
    private static bool IsSnowflake(string value) =>
        value.All(char.IsAsciiDigit) && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0;
}

/// <summary>
/// Channels without a token used to start quietly with Discord off: the operator thinks the bot is watching. The token is
/// the client's key, so this rule reads it from the configuration the options were bound from.
/// </summary>
internal sealed class DiscordChannelsNeedToken(IConfiguration configuration) : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        var wanted = new[] { (nameof(options.Channels), options.Channels.Any(c => !string.IsNullOrWhiteSpace(c))), (nameof(options.ReviewChannelId), !string.IsNullOrWhiteSpace(options.ReviewChannelId)) }
            .Where(w => w.Item2).Select(w => $"{DiscordOptions.Section}:{w.Item1}").ToArray();
        if (DiscordOptions.IsEnabled(configuration) || wanted.Length == 0) return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(
            $"{DiscordOptions.Section}:Token is not set but {string.Join(" and ", wanted)} {(wanted.Length == 1 ? "is" : "are")}: set Discord:Token (e.g. SKATEBOT_Discord__Token) or remove them.");
    }
}
