using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace SkateBot.Storage.Tests;

/// <summary>AddSkateStorage: the library binds its own section, validates it at start and opens the database it names.</summary>
public sealed class StorageRegistrationTests
{
    [Fact]
    public void AddSkateStorage_DataDirectoryConfigured_OpensTheDatabaseThereWithTheRegisteredClock()
    {
        var directory = Path.Combine(Path.GetTempPath(), "skatebot-storage-tests", Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        try
        {
            using (var services = Provider(new() { ["Storage:DataDirectory"] = directory }, time))
            {
                Assert.Equal(Path.GetFullPath(directory), services.GetRequiredService<IOptions<StorageOptions>>().Value.FullDataDirectory);
                var db = services.GetRequiredService<SkateDatabase>();
                Assert.Same(db, services.GetRequiredService<SkateDatabase>());
                Assert.Equal(Path.Combine(Path.GetFullPath(directory), SkateDatabase.FileName), db.FilePath);
                var sha = TestDb.Sha("registered");
                db.Images.Put(sha, [1, 2, 3], 1, 1, new ImageOrigin("cli", "x", null, time.GetUtcNow().AddDays(-1)));
                Assert.Equal(time.GetUtcNow(), db.Images.Get(sha)?.StoredAt);
            }
            Assert.True(File.Exists(Path.Combine(directory, SkateDatabase.FileName)));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void AddSkateStorage_EmptyDataDirectory_FailsAtStartNamingTheKey()
    {
        using var services = Provider(new() { ["Storage:DataDirectory"] = "" });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(ex.Failures, f => f.StartsWith("Storage:DataDirectory: ", StringComparison.Ordinal));
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings, TimeProvider? time = null)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        if (time is not null) services.AddSingleton(time);
        services.AddSkateStorage();
        return services.BuildServiceProvider();
    }
}
