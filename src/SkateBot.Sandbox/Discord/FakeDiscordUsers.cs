namespace SkateBot.Sandbox.Discord;

/// <summary>A person who uses the stand-in like a Discord client: REST with <c>Authorization: {Token}</c> (no "Bot ").</summary>
public sealed record FakeDiscordUser(string Id, string Name, string Token, IReadOnlyList<string> Roles);

/// <summary>A guild text channel.</summary>
public sealed record FakeDiscordChannel(string Id, string Name, string GuildId, string Topic);

/// <summary>Who sent a REST request: the bot (<c>Bot {token}</c>), a registered user, or nobody we know.</summary>
internal readonly record struct FakeCaller(bool IsBot, FakeDiscordUser? User);

/// <summary>An interaction a user invoked through the stand-in: where its answers go and who may see ephemeral ones.</summary>
internal sealed record FakeInvocation(string ChannelId, FakeDiscordUser User, string CommandName, string InteractionId);
