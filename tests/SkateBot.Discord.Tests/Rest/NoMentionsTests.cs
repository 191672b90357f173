using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;

namespace SkateBot.Discord.Tests.Rest;

/// <summary>
/// The bot never pings anybody: every message-sending REST call puts <c>allowed_mentions {"parse": [], "replied_user":
/// false}</c> on the wire, even when the text holds @everyone, user and role mentions and the caller asked for them.
/// </summary>
public sealed class NoMentionsTests
{
    private const string Channel = "500000000000000001";
    private const string Pings = "@everyone @here <@300000000000000001> <@!300000000000000001> <@&700000000000000001>";
    private static readonly AllowedMentions Everything = new()
    {
        Parse = ["everyone", "roles", "users"], Users = ["300000000000000001"], Roles = ["700000000000000001"], RepliedUser = true,
    };
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1];

    /// <summary>Each message-sending method of <see cref="DiscordRestClient"/>, called asking for every mention.</summary>
    private static readonly Dictionary<string, Func<RestHarness, Task>> Senders = new()
    {
        [nameof(DiscordRestClient.CreateMessageAsync)] = async h =>
        {
            var original = await h.UserMessageIdAsync();
            await h.Client.CreateMessageAsync(Channel, new MessageCreate
            {
                Content = Pings, AllowedMentions = Everything, MessageReference = MessageReference.ReplyTo(original, Channel),
            });
        },
        [nameof(DiscordRestClient.EditMessageAsync)] = async h =>
        {
            var posted = await h.UserMessageIdAsync();
            await h.Client.EditMessageAsync(Channel, posted, new MessageEdit { Content = Pings, AllowedMentions = Everything }, [new FileAttachment("a.png", Png, "image/png")]);
        },
        [nameof(DiscordRestClient.CreateInteractionResponseAsync)] = h =>
            h.Client.CreateInteractionResponseAsync("600000000000000001", "itoken-m", new InteractionResponse
            {
                Type = InteractionResponseType.ChannelMessageWithSource,
                Data = new InteractionCallbackData { Content = Pings, AllowedMentions = Everything },
            }),
        [nameof(DiscordRestClient.EditOriginalInteractionResponseAsync)] = async h =>
        {
            await h.Client.CreateInteractionResponseAsync("600000000000000002", "itoken-e", InteractionResponse.Deferred());
            await h.Client.EditOriginalInteractionResponseAsync(h.Fake.Options.ApplicationId, "itoken-e", new MessageEdit { Content = Pings, AllowedMentions = Everything });
        },
        [nameof(DiscordRestClient.CreateFollowupMessageAsync)] = async h =>
        {
            await h.Client.CreateInteractionResponseAsync("600000000000000003", "itoken-f", InteractionResponse.Deferred());
            await h.Client.CreateFollowupMessageAsync(h.Fake.Options.ApplicationId, "itoken-f", new MessageCreate { Content = Pings, AllowedMentions = Everything },
                [new FileAttachment("a.png", Png, "image/png")]);
        },
    };

    public static TheoryData<string> SenderNames() => [.. Senders.Keys];

    [Theory]
    [MemberData(nameof(SenderNames))]
    public async Task Send_CallerAsksForEveryMention_WireCarriesNone(string method)
    {
        await using var h = await RestHarness.StartAsync();

        await Senders[method](h);

        var request = h.Fake.Requests[^1];
        var json = request.Json;
        var message = json.TryGetProperty("data", out var data) ? data : json;
        Assert.Contains("@everyone", message.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"parse":[],"replied_user":false}""", message.GetProperty("allowed_mentions").GetRawText());
    }

    /// <summary>A new message-sending method must be added to <see cref="Senders"/> (and so be tested above).</summary>
    [Fact]
    public void Senders_CoverEveryRestMethodThatTakesAMessage()
    {
        Type[] messageTypes = [typeof(MessageCreate), typeof(MessageEdit), typeof(InteractionResponse), typeof(InteractionCallbackData)];
        var sending = typeof(DiscordRestClient).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetParameters().Any(p => messageTypes.Contains(p.ParameterType)))
            .Select(m => m.Name).Order().ToList();

        Assert.Equal(Senders.Keys.Order().ToList(), sending);
    }

    /// <summary><see cref="AllowedMentions.None"/> is one shared instance: nothing may be able to change it.</summary>
    [Fact]
    public void AllowedMentions_EveryProperty_InitOnly()
    {
        foreach (var property in typeof(AllowedMentions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var setter = property.SetMethod;
            Assert.True(setter is null || setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)),
                $"AllowedMentions.{property.Name} has a public setter");
        }
        Assert.Empty(AllowedMentions.None.Parse);
        Assert.False(AllowedMentions.None.RepliedUser);
    }

    [Fact]
    public async Task DeferredInteraction_NoMessage_NoDataSent()
    {
        await using var h = await RestHarness.StartAsync();

        await h.Client.CreateInteractionResponseAsync("600000000000000004", "itoken-d", InteractionResponse.Deferred());

        Assert.False(h.Fake.Requests[^1].Json.TryGetProperty("data", out _));
    }
}
