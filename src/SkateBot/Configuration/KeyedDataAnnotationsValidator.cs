using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SkateBot.Configuration;

/// <summary>
/// DataAnnotations and <see cref="IValidatableObject"/> validation of one options section whose failures name the key
/// (<c>Model:MaxBatchSize: The field MaxBatchSize must be between 1 and 256.</c>) instead of the CLR type, so a bad
/// value in <c>serve</c> and in <c>config check</c> reads the same and points at what to edit.
/// </summary>
public sealed class KeyedDataAnnotationsValidator<T>(string section) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(results.Select(Describe).Distinct());
    }

    public static IEnumerable<string> Problems(T options, string section) =>
        new KeyedDataAnnotationsValidator<T>(section).Validate(null, options).Failures ?? [];

    private string Describe(ValidationResult result)
    {
        var message = result.ErrorMessage ?? "is invalid.";
        if (message.StartsWith(section + ":", StringComparison.Ordinal)) return message;
        var members = result.MemberNames.ToArray();
        return members.Length == 0 ? $"{section}: {message}" : $"{section}:{string.Join(",", members)}: {message}";
    }
}
