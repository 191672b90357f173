namespace SkateBot.Storage;

/// <summary>Collection names; changing one is a schema change and needs a migration.</summary>
internal static class Names
{
    public const string Meta = "meta";
    public const string Images = "images";
    public const string Predictions = "predictions";
    public const string Labels = "labels";
    public const string Models = "models";
    public const string ModelEvents = "model_events";
    public const string MessageLinks = "message_links";
    public const string Cursors = "cursors";
    public const string ProcessedEvents = "processed_events";
    public const string Posts = "posts";
    public const string TrustedLabels = "trusted_labels";
    public const string Outbox = "outbox";
}
