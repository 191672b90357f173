using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SkateBot.Storage.Internal;

/// <summary>
/// DataAnnotations checks of an options class whose failures name the configuration key (<c>Storage:DataDirectory: The
/// DataDirectory field is required.</c>), so a bad value reads the same at start and in the app's <c>config check</c>
/// (the same rule as SkateBot.Discord's validator; each library owns its registration, so each has its copy).
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
