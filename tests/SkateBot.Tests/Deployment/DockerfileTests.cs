using System.Text.RegularExpressions;
using SkateBot.Cli;
using SkateBot.Testing.Paths;

namespace SkateBot.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so the Dockerfile is checked for what can break without one: every path it copies from
/// the build context exists and survives .dockerignore, the projects it restores are the executable's references, the
/// health check and entry point name a command and an assembly that exist. (bench/check-publish.sh starts the publish
/// folder the way the image does and asks /healthz.)
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "Dockerfile"));

    [Fact]
    public void EveryPathCopiedFromTheContext_ExistsAndIsNotDockerIgnored()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"));
        var sources = Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            .ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, source =>
        {
            var path = Path.Combine(RepoPaths.Root, source);
            Assert.True(File.Exists(path) || Directory.Exists(path), $"Dockerfile copies {source}, which does not exist");
            Assert.False(Ignored(source.TrimEnd('/'), ignore), $"Dockerfile copies {source}, but .dockerignore leaves it out");
        });
    }

    [Fact]
    public void RestoresEveryProjectTheExecutableReferences()
    {
        var csproj = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "SkateBot", "SkateBot.csproj"));
        var referenced = ProjectReference().Matches(csproj).Select(m => $"src/{m.Groups["name"].Value}/{m.Groups["name"].Value}.csproj");
        var copied = Lines.Where(l => l.StartsWith("COPY src/", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToHashSet();

        Assert.All(referenced.Append("src/SkateBot/SkateBot.csproj"), p => Assert.Contains(p, copied));
    }

    [Fact]
    public void HealthCheckAndEntryPoint_NameWhatExists()
    {
        var health = Assert.Single(Lines, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        var entry = Assert.Single(Lines, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));

        Assert.Contains("\"/opt/skatebot/SkateBot.dll\", \"health\"", health, StringComparison.Ordinal);
        Assert.Equal("health", HealthCommand.Create(() => null!, TextWriter.Null, TextWriter.Null).Name);
        Assert.Contains("/opt/skatebot/SkateBot.dll", entry, StringComparison.Ordinal);
        Assert.Contains("-o /opt/skatebot", Assert.Single(Lines, l => l.Contains("dotnet publish", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(Lines, l => l.StartsWith("USER app", StringComparison.Ordinal));
        Assert.Contains(Lines, l => l.Contains("SKATEBOT_Observability__Url=http://0.0.0.0:9464", StringComparison.Ordinal));
    }

    [Fact]
    public void RuntimeImage_HasAspNetCore_WhenTheExecutableNeedsIt()
    {
        // serve hosts /healthz and /metrics on Kestrel: on the plain .NET runtime image it would not start at all.
        var csproj = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "SkateBot", "SkateBot.csproj"));
        var runtime = Assert.Single(Lines, l => l.StartsWith("ARG RUNTIME_IMAGE=", StringComparison.Ordinal));

        Assert.Contains("FrameworkReference Include=\"Microsoft.AspNetCore.App\"", csproj, StringComparison.Ordinal);
        Assert.Equal("ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0", runtime);
        Assert.Equal("FROM ${RUNTIME_IMAGE}", Lines.Last(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
    }

    /// <summary>.dockerignore's rules as Docker applies them: the last matching pattern wins, '!' re-includes.</summary>
    private static bool Ignored(string path, string[] rules)
    {
        var ignored = false;
        foreach (var raw in rules.Select(r => r.Trim()).Where(r => r.Length > 0 && !r.StartsWith('#')))
        {
            var negate = raw.StartsWith('!');
            var pattern = (negate ? raw[1..] : raw).TrimEnd('/');
            var regex = "^" + Regex.Escape(pattern).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "(/.*)?$";
            if (Regex.IsMatch(path, regex)) ignored = !negate;
        }
        return ignored;
    }

    [GeneratedRegex(@"ProjectReference Include=""\.\./(?<name>[^/]+)/")]
    private static partial Regex ProjectReference();
}
