using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SkateBot.Discord;

/// <summary>
/// DataAnnotations and <see cref="IValidatableObject"/> checks of <see cref="DiscordClientOptions"/> whose failures name the
/// configuration key (<c>Discord:Intents: The field Intents must be between 1 and ...</c>), so a bad value reads the same
/// at start and in the app's <c>config check</c>.
/// </summary>
internal sealed class OptionsSectionValidator<T>(string section) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(results.Select(Describe).Distinct());
    }

    private string Describe(ValidationResult result)
    {
        var message = result.ErrorMessage ?? "is invalid.";
        if (message.StartsWith(section + ":", StringComparison.Ordinal)) return message;
        var members = result.MemberNames.ToArray();
        return members.Length == 0 ? $"{section}: {message}" : $"{section}:{string.Join(",", members)}: {message}";
    }
}
