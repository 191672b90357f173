using Microsoft.Extensions.Configuration;
using SkateBot.KeyedOptions;

namespace SkateBot.Configuration;

/// <summary>Binds and validates an options section outside the host (CLI commands), with messages that name the key.</summary>
public static class OptionsBinding
{
    public static T Bind<T>(IConfiguration configuration, string section) where T : class, new()
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
        // The same validator serve uses, so a CLI command and serve word a bad value the same way.
        var problems = KeyedOptionsValidator<T>.Problems(options, section).ToArray();
        if (problems.Length > 0) throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        return options;
    }
}
