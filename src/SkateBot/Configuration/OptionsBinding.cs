using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace SkateBot.Configuration;

/// <summary>Binds and validates an options section outside the host (CLI commands), with messages that name the key.</summary>
public static class OptionsBinding
{
    public static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"Configuration section '{section}' is invalid: {ex.Message}", ex);
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            throw new InvalidOperationException(string.Join(Environment.NewLine,
                results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
        return options;
    }
}
