using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SkateBot.Vision;

/// <summary>
/// DataAnnotations checks of an options class whose failures name the configuration key (<c>Model:MaxBatchSize: The field
/// MaxBatchSize must be between 1 and 256.</c>), so a bad value reads the same at start and in the app's <c>config check</c>
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
