using Microsoft.Extensions.Configuration;
using SkateBot.Configuration;
using SkateBot.Features.Datasets;
using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Configuration;

namespace SkateBot.Tests.Features.Datasets;

/// <summary>Which base folders `train` and a retrain use, and how they are recorded.</summary>
public sealed class BaseFoldersTests
{
    private static readonly string Work = Path.Combine(Path.GetTempPath(), "work", "main");

    private static ModelVersionRecord Champion(params BaseFolderRecord[] folders) =>
        new() { Version = "v4", FilePath = "models/v4.skmodel", TrainingFingerprint = "fp", BaseFolders = folders };

    [Fact]
    public void Record_RelativeWithShareSuffix_ResolvesTheDirectoryAndKeepsTheSuffix()
    {
        var recorded = BaseFolders.Record("../shared/photos/wild#train", Work);

        Assert.Equal("../shared/photos/wild#train", recorded.Given);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "work", "shared", "photos", "wild") + "#train", recorded.Resolved);
    }

    [Theory]
    [InlineData("photos/wild#train", "photos/wild")]
    [InlineData("photos/wild#dev", "photos/wild")]
    [InlineData("photos/wild", "photos/wild")]
    [InlineData("photos/wild#other", "photos/wild#other")]
    public void DirectoryOf_Entry_StripsOnlyAShareSuffix(string entry, string directory) =>
        Assert.Equal(directory, BaseFolders.DirectoryOf(entry));

    [Fact]
    public void Exists_ExistingFolderWithShareSuffix_True()
    {
        using var temp = new TempDirectory("skatebot-basefolders");
        Assert.True(BaseFolders.Exists(temp.Path + "#dev"));
        Assert.False(BaseFolders.Exists(temp.Combine("missing") + "#train"));
    }

    [Fact]
    public void ForRetrain_NothingConfigured_UsesTheChampionsRecordedFolders()
    {
        var recorded = new BaseFolderRecord { Given = "../shared/photos/train", Resolved = "/srv/shared/photos/train" };

        var choice = BaseFolders.ForRetrain(new TrainingOptions(), Champion(recorded), Work);

        Assert.Equal([recorded], choice.Folders);
        Assert.Equal("v4's recorded base folders", choice.Origin);
    }

    [Fact]
    public void ForRetrain_BaseFoldersConfigured_WinsOverTheChampionsFolders()
    {
        var recorded = new BaseFolderRecord { Given = "photos", Resolved = "/srv/photos" };

        var choice = BaseFolders.ForRetrain(new TrainingOptions { BaseFolders = ["other", "other"] }, Champion(recorded), Work);

        Assert.Equal([BaseFolders.Record("other", Work)], choice.Folders);
        Assert.Equal("Training:BaseFolders", choice.Origin);
    }

    [Fact]
    public void ForRetrain_ChampionRecordedNoneOrNoChampion_FallsBackToDataSample()
    {
        var expected = BaseFolders.Record("data/sample", Work);

        Assert.Equal([expected], BaseFolders.ForRetrain(new TrainingOptions(), Champion(), Work).Folders);
        Assert.Equal([expected], BaseFolders.ForRetrain(new TrainingOptions(), null, Work).Folders);
    }

    [Fact]
    public void ForTrain_NoArguments_ConfigElseDataSample()
    {
        Assert.Equal(["a", "b"], BaseFolders.ForTrain(["a", "b", "a"], new TrainingOptions { BaseFolders = ["c"] }));
        Assert.Equal(["c"], BaseFolders.ForTrain([], new TrainingOptions { BaseFolders = ["c"] }));
        Assert.Equal(["data/sample"], BaseFolders.ForTrain([], new TrainingOptions()));
    }

    [Fact]
    public void CommittedConfig_TrainingSection_LeavesBaseFoldersEmpty()
    {
        // Empty means "the champion's folders": a default here would count as explicit and override them.
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoPaths.Root, "config", "appsettings.json")).Build();

        Assert.Empty(BoundOptions.Bind<TrainingOptions>(configuration).BaseFolders);
    }
}
