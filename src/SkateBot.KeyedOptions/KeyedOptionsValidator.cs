using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SkateBot.KeyedOptions;

/// <summary>
/// DataAnnotations and <see cref="IValidatableObject"/> validation of one options section whose failures name the key
/// (<c>Model:MaxBatchSize: The field MaxBatchSize must be between 1 and 256.</c>) instead of the CLR type, so a bad
/// value reads the same at start and in the app's <c>config check</c> and points at what to edit.
/// </summary>
/// <remarks>
/// A message that already starts with <c>section:</c> is kept as it is; one with member names is prefixed
/// <c>section:Member1,Member2: </c>, one without <c>section: </c>; a result with no message reads <c>is invalid.</c>.
/// Repeated messages are reported once.
/// </remarks>
/// <param name="section">The configuration section the options are bound from (<c>Model</c>, <c>Discord</c>).</param>
public sealed class KeyedOptionsValidator<T>(string section) : IValidateOptions<T> where T : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(results.Select(Describe).Distinct());
    }

    /// <summary>The failures <see cref="Validate"/> reports for <paramref name="options"/> bound from
    /// <paramref name="section"/>, none when they are valid (for callers outside the host, such as CLI commands).</summary>
    public static IEnumerable<string> Problems(T options, string section) =>
        new KeyedOptionsValidator<T>(section).Validate(null, options).Failures ?? [];

    private string Describe(ValidationResult result)
    {
        var message = result.ErrorMessage ?? "is invalid.";
        if (message.StartsWith(section + ":", StringComparison.Ordinal)) return message;
        var members = result.MemberNames.ToArray();
        return members.Length == 0 ? $"{section}: {message}" : $"{section}:{string.Join(",", members)}: {message}";
    }
}
