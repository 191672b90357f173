using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace SkateBot.Configuration;

/// <summary>One key as the bot will see it: its value (secrets masked) and where it came from.</summary>
public sealed record EffectiveSetting(string Key, string Value, string Source);

/// <summary>
/// Every key the options classes bind (<see cref="OptionsCatalog.Listed"/>), with the value after binding (defaults
/// included) and its source. Secrets (<c>*Token</c>, <c>*Secret</c>, <c>*Password</c>) are only shown as set or not.
/// </summary>
public static class EffectiveConfiguration
{
    public const string Masked = "******** (set)";

    public static IReadOnlyList<EffectiveSetting> Read(IConfiguration configuration, string? workingDirectory = null)
    {
        var sources = new ConfigurationSources(configuration, workingDirectory ?? Directory.GetCurrentDirectory());
        var settings = new List<EffectiveSetting>();
        foreach (var section in OptionsCatalog.Listed)
        {
            var defaults = section.Defaults();
            var bound = TryBind(configuration.GetSection(section.Name), section.Defaults());
            foreach (var property in section.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.SetMethod?.IsPublic == true))
            {
                var key = $"{section.Name}:{property.Name}";
                var isArray = property.PropertyType.IsArray;
                // A value that does not bind is shown as written (config check lists the problem below).
                var value = bound is not null ? Format(property.GetValue(bound)) : Raw(configuration, key, isArray) ?? Format(property.GetValue(defaults));
                if (IsSecret(property.Name)) value = value is "" or "\"\"" ? "\"\" (not set)" : Masked;
                settings.Add(new EffectiveSetting(key, value, isArray ? sources.OfArray(key) : sources.Of(key)));
            }
        }
        return settings;
    }

    public static bool IsSecret(string name) =>
        name.EndsWith("Token", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Secret", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Password", StringComparison.OrdinalIgnoreCase);

    private static string? Raw(IConfiguration configuration, string key, bool isArray) =>
        !isArray ? configuration[key]
        : configuration.GetSection(key).Exists() ? Format(configuration.GetSection(key).GetChildren().Select(c => c.Value).ToArray()) : null;

    private static object? TryBind(IConfigurationSection section, object target)
    {
        try
        {
            section.Bind(target);
            return target;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "\"\"",
        string s => s.Length == 0 ? "\"\"" : s,
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Array a => "[" + string.Join(", ", a.Cast<object?>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
