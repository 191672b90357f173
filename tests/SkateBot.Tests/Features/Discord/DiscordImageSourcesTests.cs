using SkateBot.Discord.Models;
using SkateBot.Features.Discord;

namespace SkateBot.Tests.Features.Discord;

public sealed class DiscordImageSourcesTests
{
    [Fact]
    public void From_ImageAndOtherAttachments_KeepsOnlyImages()
    {
        var message = new Message
        {
            Attachments =
            [
                new Attachment { Filename = "skate.jpg", ContentType = "image/jpeg", Url = "https://cdn.discordapp.com/a/1/skate.jpg" },
                new Attachment { Filename = "manual.pdf", ContentType = "application/pdf", Url = "https://cdn.discordapp.com/a/2/manual.pdf" },
                new Attachment { Filename = "noext.webp", Url = "https://cdn.discordapp.com/a/3/noext.webp" },
            ],
        };

        var sources = DiscordImageSources.From(message);

        Assert.Equal(["skate.jpg", "noext.webp"], sources.Select(s => s.Name));
    }

    [Fact]
    public void From_LinkEmbed_UsesDiscordsProxiedCopy()
    {
        var message = new Message
        {
            Embeds =
            [
                new Embed
                {
                    Type = "image", Url = "https://example.org/skates.png",
                    Thumbnail = new EmbedMedia { Url = "https://example.org/skates.png", ProxyUrl = "https://media.discordapp.net/external/x/skates.png" },
                },
                new Embed { Type = "rich", Title = "no picture" },
            ],
        };

        var source = Assert.Single(DiscordImageSources.From(message));

        Assert.Equal("media.discordapp.net", source.Url.Host);
    }
}
