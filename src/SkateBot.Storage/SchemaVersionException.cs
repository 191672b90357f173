namespace SkateBot.Storage;

/// <summary>The database was written by a newer SkateBot than this one; opening it could lose data.</summary>
public sealed class SchemaVersionException(string path, int found, int supported)
    : InvalidOperationException(
        $"The database '{path}' has schema version {found}, but this SkateBot build supports versions up to {supported}. " +
        "It was written by a newer SkateBot: run that version (or newer) instead; this build will not open it to avoid losing data.")
{
    /// <summary>The version stored in the database.</summary>
    public int Found { get; } = found;

    /// <summary>The newest version this build understands.</summary>
    public int Supported { get; } = supported;
}
