using Microsoft.Extensions.Configuration;
using SkateBot.Cli;
using SkateBot.Testing.Paths;

namespace SkateBot.Tests.Cli;

/// <summary>
/// <c>samples</c> regenerates the committed drawn set, <c>other</c> (quads, ice skates) included, so the first model a
/// fresh clone trains can answer "not an inline skate"; <c>--skates-only</c> draws the two skate classes alone.
/// </summary>
public sealed class SamplesCommandTests
{
    [Fact]
    public async Task Samples_Default_DrawsBothSkateClassesAndOther()
    {
        using var dir = new TempDirectory("skatebot-samples");

        var (exit, output, error) = await RunAsync(dir, "samples", dir.Combine("set"), "--per-class", "2", "--seed", "3");

        Assert.True(exit == 0, error);
        Assert.Equal(["aggressive_skates", "inline_skates", "other"], Folders(dir.Combine("set")));
        Assert.Equal(2, Directory.GetFiles(dir.Combine("set", "other"), "oth_*.jpg").Length);
        Assert.Contains("other", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Samples_SkatesOnly_DrawsNoOtherFolder()
    {
        using var dir = new TempDirectory("skatebot-samples");

        var (exit, _, error) = await RunAsync(dir, "samples", dir.Combine("set"), "--per-class", "2", "--skates-only");

        Assert.True(exit == 0, error);
        Assert.Equal(["aggressive_skates", "inline_skates"], Folders(dir.Combine("set")));
    }

    [Fact]
    public void CommittedSampleSet_HasTheOtherClass_SoTheFirstModelCanSayNotAnInlineSkate()
    {
        // The sandbox and a first `serve` train on data/sample: without other/ their model could not answer "not an
        // inline skate", offer the third reaction, or apply Reddit:NotInlineSubreddits.
        Assert.Equal(["aggressive_skates", "inline_skates", "other"], Folders(RepoPaths.SampleData));
        foreach (var folder in Folders(RepoPaths.SampleData))
            Assert.Equal(120, Directory.GetFiles(Path.Combine(RepoPaths.SampleData, folder), "*.jpg").Length);
    }

    private static string[] Folders(string root) =>
        [.. Directory.GetDirectories(root).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    private static async Task<(int Exit, string Output, string Error)> RunAsync(TempDirectory data, params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data.Combine("data"),
            ["Observability:Url"] = "",
        }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, configuration);
        return (exit, output.ToString(), error.ToString());
    }
}
