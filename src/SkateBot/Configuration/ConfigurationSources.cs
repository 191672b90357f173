using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace SkateBot.Configuration;

/// <summary>Which configuration source a key's value came from (the last one that has it wins, as in binding).</summary>
public sealed class ConfigurationSources(IConfiguration configuration, string workingDirectory)
{
    public const string Default = "default";

    /// <summary>Where a single value comes from, or <see cref="Default"/>.</summary>
    public string Of(string key) => Find(configuration, key).DefaultIfEmpty(Default).First();

    /// <summary>Where an array's entries come from: each entry's own source (files merge arrays by index, so several may contribute).</summary>
    public string OfArray(string key) =>
        string.Join(" + ", configuration.GetSection(key).GetChildren().Select(c => Of($"{key}:{c.Key}")).Distinct().DefaultIfEmpty(Default));

    private IEnumerable<string> Find(IConfiguration config, string key)
    {
        if (config is not IConfigurationRoot root) yield break;
        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.TryGet(key, out _)) continue;
            yield return provider is ChainedConfigurationProvider chained ? Find(chained.Configuration, key).DefaultIfEmpty("chained configuration").First() : Describe(provider, key);
            yield break;
        }
    }

    private string Describe(IConfigurationProvider provider, string key) => provider switch
    {
        FileConfigurationProvider file => RelativePath(file.Source.FileProvider?.GetFileInfo(file.Source.Path ?? "").PhysicalPath ?? file.Source.Path ?? "?"),
        EnvironmentVariablesConfigurationProvider =>
            $"environment variable {SkateBotConfiguration.EnvironmentPrefix}{key.Replace(":", "__", StringComparison.Ordinal)}",
        MemoryConfigurationProvider => "in-memory setting",
        _ => provider.ToString() ?? provider.GetType().Name,
    };

    private string RelativePath(string path)
    {
        var relative = Path.GetRelativePath(workingDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
