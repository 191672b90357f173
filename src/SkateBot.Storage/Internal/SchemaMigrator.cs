using LiteDB;

namespace SkateBot.Storage;

/// <summary>Reads the schema version from the <c>meta</c> collection and runs the missing migrations.</summary>
internal static class SchemaMigrator
{
    private const string SchemaKey = "schema";

    public static int Read(LiteDatabase db) =>
        db.GetCollection(Names.Meta).FindById(SchemaKey)?["Version"].AsInt32 ?? 0;

    /// <summary>
    /// All migrations and the new version stamp run in one transaction: a failing step leaves the database
    /// exactly as it was, and a second process opening at the same time waits (the shared-mode mutex is
    /// held for the transaction), then sees the new version and does nothing.
    /// </summary>
    public static int Migrate(DbGate gate, string path, IReadOnlyList<SchemaMigration> migrations, TimeProvider time)
    {
        CheckOrder(migrations);
        var supported = migrations[^1].Version;
        return gate.Run(db =>
        {
            var version = Read(db);
            if (version > supported)
            {
                throw new SchemaVersionException(path, version, supported);
            }

            var before = version;
            foreach (var migration in migrations.Where(m => m.Version > version))
            {
                migration.Apply(db);
                version = migration.Version;
            }

            if (version == before)
            {
                return version;
            }

            db.GetCollection(Names.Meta).Upsert(new BsonDocument
            {
                ["_id"] = SchemaKey,
                ["Version"] = version,
                ["MigratedAt"] = StorageMapper.Time(time.GetUtcNow()),
            });
            return version;
        });
    }

    private static void CheckOrder(IReadOnlyList<SchemaMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Schema migrations must be numbered 1, 2, 3, … without gaps; entry {i} has version {migrations[i].Version}.");
            }
        }
    }
}
