using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using SkateBot.Cli;
using SkateBot.Sandbox.Tests.Support;
using SkateBot.Testing.Paths;

namespace SkateBot.Sandbox.Tests.Cli;

[Collection(SandboxCollection.Name)]
public sealed class SandboxCommandTests(TinyModel model)
{
    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("70000")]
    [InlineData("80x")]
    public async Task Run_PortNotAPortNumber_PrintsOneLineErrorAndExitsWithUsageCode(string port)
    {
        using var data = new TempDirectory("skatebot-sandbox-badport");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CliApp.RunAsync(["sandbox", "--port", port, "--data", data.Path], output, error, SandboxRun.Configuration());

        Assert.Equal(CliApp.ExitUsage, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: --port", line, StringComparison.Ordinal);
        Assert.Contains(port, line, StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void PageSubreddits_OfferNotInlineSubredditsToo_SoTheirRuleCanBeTried()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reddit:Subreddits:0"] = "rollerblading", ["Reddit:Subreddits:1"] = "",
            ["Reddit:NotInlineSubreddits:0"] = "rollerskating", ["Reddit:NotInlineSubreddits:1"] = "RollerBlading",
        }).Build();

        Assert.Equal(["rollerblading", "rollerskating"], SandboxCommand.PageSubreddits(configuration));
        Assert.Equal(["rollerblading"], SandboxCommand.PageSubreddits(new ConfigurationBuilder().Build()));
    }

    [Fact]
    public async Task Run_PortAlreadyInUse_PrintsOneLineErrorAndFails()
    {
        using var data = new TempDirectory("skatebot-sandbox-busyport");
        var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        try
        {
            var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
            var error = new StringWriter();

            var code = await CliApp.RunAsync(["sandbox", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data.Path],
                new StringWriter(), error, SandboxRun.Configuration());

            Assert.Equal(CliApp.ExitError, code);
            var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
            Assert.Contains("already in use", line, StringComparison.Ordinal);
        }
        finally
        {
            occupant.Stop();
        }
    }

    [SkippableFact]
    public async Task Run_StartedThenCancelled_ListensOnLoopbackOnlyAndFreesItsPort()
    {
        Skip.IfNot(ListeningSockets.Available, "needs Linux's /proc/net/tcp to list listening sockets");
        using var data = new TempDirectory("skatebot-sandbox-loopback");
        model.InstallIn(data.Path);
        await using var run = await SandboxRun.StartAsync(data.Path);
        using (var http = new HttpClient())
            Assert.Contains("SkateBot sandbox", await http.GetStringAsync(run.Url), StringComparison.Ordinal);

        var listening = ListeningSockets.On(run.Port);

        Assert.NotEmpty(listening);
        Assert.All(listening, address => Assert.True(IPAddress.IsLoopback(address), $"{address} is not loopback"));
        Assert.Equal(0, await run.StopAsync());
        Assert.Empty(ListeningSockets.On(run.Port));
        Assert.True(ListeningSockets.IsFree(run.Port));
    }
}
