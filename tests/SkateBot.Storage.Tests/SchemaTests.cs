using LiteDB;
using Microsoft.Extensions.Time.Testing;

namespace SkateBot.Storage.Tests;

public sealed class SchemaTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "skatebot-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static readonly SchemaMigration PrefixWhere = new(2, "test: prefix label Where", db =>
    {
        var labels = db.GetCollection(Names.Labels);
        foreach (var doc in labels.FindAll().ToList())
        {
            doc["Where"] = "v2:" + doc["Where"].AsString;
            labels.Update(doc);
        }
    });

    private string DbPath => Path.Combine(_dir, SkateDatabase.FileName);

    [Fact]
    public void Open_FreshDirectory_StampsCurrentVersion()
    {
        using (var db = SkateDatabase.Open(_dir, _time))
        {
            Assert.Equal(SkateDatabase.CurrentSchemaVersion, db.SchemaVersion);
        }

        using var raw = Raw();
        Assert.Equal(SkateDatabase.CurrentSchemaVersion, raw.GetCollection("meta").FindById("schema")["Version"].AsInt32);
    }

    [Theory]
    [InlineData("labels", "ImageSha")]
    [InlineData("labels", "UserId")]
    [InlineData("labels", "Withdrawn")]
    [InlineData("labels", "WithdrawnAt")]
    [InlineData("predictions", "ImageSha")]
    [InlineData("predictions", "At")]
    [InlineData("models", "Status")]
    [InlineData("model_events", "Version")]
    [InlineData("processed_events", "At")]
    public void Open_FreshDirectory_CreatesIndexesTheQueriesUse(string collection, string field)
    {
        SkateDatabase.Open(_dir, _time).Dispose();

        using var raw = Raw();
        var indexes = raw.GetCollection("$indexes").Find(Query.EQ("collection", collection)).Select(d => d["expression"].AsString);
        Assert.Contains("$." + field, indexes);
    }

    [Fact]
    public void Open_OlderVersionDatabase_MigratedOnceInOrder()
    {
        string sha;
        using (var v1 = SkateDatabase.Open(_dir, _time))
        {
            sha = TestDb.Sha("x");
            v1.Images.Put(sha, [1], 1, 1, new ImageOrigin("cli", null, null, _time.GetUtcNow()));
            v1.Labels.Vote(sha, "inline", "u", false, "cli");
        }

        for (var open = 0; open < 2; open++)
        {
            using var v2 = SkateDatabase.Open(_dir, _time, [.. SchemaMigrations.All, PrefixWhere]);
            Assert.Equal(2, v2.SchemaVersion);
            Assert.Equal("v2:cli", Assert.Single(v2.Labels.VotesFor(sha)).Where);
        }
    }

    [Fact]
    public void Open_MigrationThrows_DatabaseLeftAsItWas()
    {
        var sha = TestDb.Sha("x");
        using (var v1 = SkateDatabase.Open(_dir, _time))
        {
            v1.Images.Put(sha, [1], 1, 1, new ImageOrigin("cli", null, null, _time.GetUtcNow()));
            v1.Labels.Vote(sha, "inline", "u", false, "cli");
        }

        var failing = new SchemaMigration(3, "test: fails after a change", _ => throw new IOException("disk on fire"));
        Assert.Throws<IOException>(() => SkateDatabase.Open(_dir, _time, [.. SchemaMigrations.All, PrefixWhere, failing]));

        using var again = SkateDatabase.Open(_dir, _time);
        Assert.Equal(1, again.SchemaVersion);
        Assert.Equal("cli", Assert.Single(again.Labels.VotesFor(sha)).Where);
    }

    [Fact]
    public void Open_NewerVersionDatabase_RefusedWithClearMessage()
    {
        SkateDatabase.Open(_dir, _time).Dispose();
        using (var raw = Raw())
        {
            raw.GetCollection("meta").Upsert(new BsonDocument { ["_id"] = "schema", ["Version"] = 99 });
        }

        var error = Assert.Throws<SchemaVersionException>(() => SkateDatabase.Open(_dir, _time));

        Assert.Equal((99, SkateDatabase.CurrentSchemaVersion), (error.Found, error.Supported));
        Assert.Contains("schema version 99", error.Message);
        Assert.Contains("newer SkateBot", error.Message);
        Assert.Contains(DbPath, error.Message);
    }

    [Fact]
    public void Open_MigrationsWithGap_Throws()
    {
        Assert.Throws<InvalidOperationException>(() =>
            SkateDatabase.Open(_dir, _time, [.. SchemaMigrations.All, PrefixWhere with { Version = 3 }]));
    }

    private LiteDatabase Raw() => new(new ConnectionString { Filename = DbPath, Connection = ConnectionType.Shared });

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
