using SkateBot.Sandbox.Site;
using SkateBot.Sandbox.Tests.Support;
using SkateBot.Testing.Paths;

namespace SkateBot.Sandbox.Tests.Site;

[Collection(SandboxCollection.Name)]
public sealed class TwoSandboxesTests(TinyModel model)
{
    [Fact]
    public async Task TwoSandboxes_DifferentPorts_EachBotAnswersOnlyItsOwnDiscord()
    {
        using var dataA = new TempDirectory("skatebot-sandbox-a");
        using var dataB = new TempDirectory("skatebot-sandbox-b");
        model.InstallIn(dataA.Path);
        model.InstallIn(dataB.Path);
        await using var a = await SandboxRun.StartAsync(dataA.Path);
        await using var b = await SandboxRun.StartAsync(dataB.Path);
        using var clientA = new SandboxClient(a.Url);
        using var clientB = new SandboxClient(b.Url);
        Assert.NotEqual(a.Port, b.Port);

        var posted = await clientA.PostPhotoAsync(SandboxWorld.PhotosChannelId, SamplePhoto());
        var deadline = TimeProvider.System.GetUtcNow() + SandboxRun.Patience;
        while (!(await clientA.MessagesAsync(SandboxWorld.PhotosChannelId)).Any(m => (string?)m["message_reference"]?["message_id"] == (string)posted["id"]!))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "sandbox A's bot did not answer: " + a.Error);
            await Task.Delay(100);
        }

        Assert.Empty(await clientB.MessagesAsync(SandboxWorld.PhotosChannelId));
        Assert.Equal(0, await b.StopAsync());
        Assert.Equal(0, await a.StopAsync());
    }

    private static byte[] SamplePhoto() =>
        File.ReadAllBytes(Directory.EnumerateFiles(Path.Combine(RepoPaths.SampleData, "inline_skates")).Order(StringComparer.Ordinal).First());
}
