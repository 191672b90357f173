using LiteDB;

namespace SkateBot.Storage;

/// <summary>One step that brings a database from <c>Version - 1</c> to <see cref="Version"/>.</summary>
/// <param name="Version">The schema version after the step.</param>
/// <param name="Description">What changes, for the log and for readers of this file.</param>
/// <param name="Apply">The change, run inside the migration transaction.</param>
internal sealed record SchemaMigration(int Version, string Description, Action<LiteDatabase> Apply);

/// <summary>
/// The ordered list of schema migrations. To change the stored shape: append a migration with the next
/// version that rewrites existing documents, never edit an old one (databases in the field already ran it).
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        // v1 is the first released shape: the collections in Names with the records of this assembly.
        // A database without a version stamp is either new or from before versioning existed (which had
        // the same shape), so stamping it is all this step does.
        new(1, "baseline: images, predictions, labels, models, model_events, message_links, cursors, processed_events, posts", _ => { }),
    ];

    public static int Current => All[^1].Version;
}
