using LiteDB;

namespace SkateBot.Storage;

/// <summary>
/// Everything the bot records, in one LiteDB file <c>&lt;dataDirectory&gt;/skatebot.db</c>.
/// </summary>
/// <remarks>
/// The file is opened in LiteDB's shared mode (<c>Connection=shared</c>): a named mutex serialises access
/// between processes, so the running service and an operator's CLI command can use it at the same time; a lock file
/// (<c>skatebot.db.lock</c>) extends that to processes that do not share <c>/tmp</c>, such as two containers on one volume.
/// Each store method is one transaction; when it returns, the change is in the file (it survives the
/// process being killed; surviving a power cut is up to the OS page cache, LiteDB 5 does not fsync each commit).
/// One instance may be shared by many threads (calls are serialised); methods are synchronous by design,
/// because the shared-mode mutex must be released by the thread that took it.
/// </remarks>
public sealed partial class SkateDatabase : IDisposable
{
    /// <summary>The database file name inside the data directory.</summary>
    public const string FileName = "skatebot.db";

    private readonly DbGate _gate;

    private SkateDatabase(DbGate gate, TimeProvider time, string path, int schemaVersion)
    {
        _gate = gate;
        FilePath = path;
        SchemaVersion = schemaVersion;
        Images = new ImageStore(gate, time);
        Predictions = new PredictionStore(gate, time);
        Labels = new LabelStore(gate, time);
        Models = new ModelRegistry(gate, time);
        MessageLinks = new MessageLinkStore(gate, time);
        Cursors = new CursorStore(gate, time);
        ProcessedEvents = new ProcessedEventStore(gate, time);
        Posts = new PostStore(gate, time);
        Trusted = new TrustedLabelStore(gate, time);
        Outbox = new OutboxStore(gate, time);
    }

    /// <summary>The newest schema version this build writes.</summary>
    public static int CurrentSchemaVersion => SchemaMigrations.Current;

    /// <summary>Full path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>The schema version of the open database (after migration).</summary>
    public int SchemaVersion { get; }

    /// <summary>Images by SHA-256 with their origins and normalised bytes.</summary>
    public ImageStore Images { get; }

    /// <summary>Predictions.</summary>
    public PredictionStore Predictions { get; }

    /// <summary>Label votes.</summary>
    public LabelStore Labels { get; }

    /// <summary>Model versions, champion and history.</summary>
    public ModelRegistry Models { get; }

    /// <summary>Bot message to image links.</summary>
    public MessageLinkStore MessageLinks { get; }

    /// <summary>Named cursors.</summary>
    public CursorStore Cursors { get; }

    /// <summary>Event de-duplication.</summary>
    public ProcessedEventStore ProcessedEvents { get; }

    /// <summary>External posts already seen.</summary>
    public PostStore Posts { get; }

    /// <summary>Held-out images whose class is frozen (the trusted part of the retraining held-out set).</summary>
    public TrustedLabelStore Trusted { get; }

    /// <summary>Bot messages waiting to be posted (review and feed posts while Discord is unreachable).</summary>
    public OutboxStore Outbox { get; }

    /// <summary>
    /// Opens (creating if needed) <c>&lt;dataDirectory&gt;/skatebot.db</c>, migrates it to the current schema and
    /// ensures the indexes.
    /// </summary>
    /// <exception cref="SchemaVersionException">The file was written by a newer SkateBot.</exception>
    public static SkateDatabase Open(string dataDirectory, TimeProvider? time = null) =>
        Open(dataDirectory, time ?? TimeProvider.System, SchemaMigrations.All);

    internal static SkateDatabase Open(string dataDirectory, TimeProvider time, IReadOnlyList<SchemaMigration> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        var connection = new ConnectionString { Filename = path, Connection = ConnectionType.Shared };
        var db = new LiteDatabase(connection, StorageMapper.Create());
        try
        {
            var gate = new DbGate(db, new FileLock(path + ".lock"), Path.GetDirectoryName(path)!);
            var version = SchemaMigrator.Migrate(gate, path, migrations, time);
            gate.Run(Indexes.Ensure);

            return new SkateDatabase(gate, time, path, version);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _gate.Close();
}
