using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using SkateBot.Configuration;
using SkateBot.Testing.Paths;

namespace SkateBot.Tests.Cli;

/// <summary>
/// README's configuration reference cannot drift from the options classes: the keys in its table are exactly the keys
/// <c>config check</c> prints (every property of every options class the bot binds), and each default it shows is the
/// value the bot would use with no settings of one's own.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    [Fact]
    public void ReadmeTable_ListsExactlyTheBoundKeys_WithTheirDefaults()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        var rows = readme[start..end].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        var documented = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var cells = row.Split('|');
            foreach (Match key in Key().Matches(cells[1])) documented[key.Groups[1].Value] = cells[2].Trim();
        }
        // Defaults as shipped: config/appsettings.json only, nothing from this machine's environment.
        var defaults = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoPaths.Root, "config", "appsettings.json")).Build();
        var bound = EffectiveConfiguration.Read(defaults, RepoPaths.Root).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);

        Assert.Empty(bound.Keys.Except(documented.Keys).Order().Select(k => $"{k} is bound but not in README's configuration table"));
        Assert.Empty(documented.Keys.Except(bound.Keys).Order().Select(k => $"{k} is in README's configuration table but bound by nothing"));
        Assert.All(documented.Where(d => d.Value.StartsWith('`')), d =>
            Assert.True(d.Value == $"`{bound[d.Key]}`", $"{d.Key}: README says the default is {d.Value}, config check says `{bound[d.Key]}`"));
    }

    [GeneratedRegex(@"`([A-Z][A-Za-z]+:[A-Z][A-Za-z0-9]+)`")]
    private static partial Regex Key();
}
