using System.Text.Json;

namespace SkateBot.Reddit.Tests;

/// <summary>Our own small post fixtures (Fixtures/*.json) and the shared protocol corpus (../shared, optional).</summary>
internal static class Fixtures
{
    public static Post Post(string name) =>
        JsonSerializer.Deserialize<Post>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".json")))
        ?? throw new InvalidOperationException("Empty fixture " + name);

    /// <summary>The corpus folder <c>../shared/protocols/reddit</c> next to the checkout, or null when absent.</summary>
    public static string? CorpusDirectory { get; } = FindCorpus();

    public const string NoCorpus = "../shared/protocols/reddit (the recorded Reddit corpus) is not next to this checkout";

    public static string CorpusFile(string prefix)
    {
        Skip.If(CorpusDirectory is null, NoCorpus);
        return Directory.GetFiles(CorpusDirectory!, prefix + "-*").Single(f => !f.EndsWith(".meta.json", StringComparison.Ordinal));
    }

    public static string CorpusMeta(string prefix)
    {
        Skip.If(CorpusDirectory is null, NoCorpus);
        return Directory.GetFiles(CorpusDirectory!, prefix + "-*.meta.json").Single();
    }

    private static string? FindCorpus()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SkateBot.sln")))
            {
                var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "protocols", "reddit"));
                return Directory.Exists(corpus) ? corpus : null;
            }
        }
        return null;
    }
}
