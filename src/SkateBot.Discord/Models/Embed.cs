namespace SkateBot.Discord.Models;

/// <summary>
/// An embed, both received (type, url, image, thumbnail of link previews) and sent (title, description, color,
/// fields, image, footer). https://discord.com/developers/docs/resources/message#embed-object
/// </summary>
public sealed record Embed
{
    public string? Title { get; init; }
    public string? Type { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }
    public int? Color { get; init; }
    public IReadOnlyList<EmbedField>? Fields { get; init; }
    public EmbedMedia? Image { get; init; }
    public EmbedMedia? Thumbnail { get; init; }
    public EmbedFooter? Footer { get; init; }
}

/// <summary>An embed image or thumbnail. Received ones also carry proxy_url/width/height.</summary>
public sealed record EmbedMedia
{
    public string Url { get; set; } = "";
    public string? ProxyUrl { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
}

public sealed record EmbedField
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
    public bool? Inline { get; init; }
}

public sealed record EmbedFooter
{
    public string Text { get; set; } = "";
}
