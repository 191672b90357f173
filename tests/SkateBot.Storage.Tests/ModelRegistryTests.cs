namespace SkateBot.Storage.Tests;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly TestDb _t = new();

    private ModelVersionRecord Register(string version, string? parent = null) =>
        _t.Db.Models.Register(new ModelVersionRecord
        {
            Version = version,
            FilePath = $"models/{version}.bin",
            ParentVersion = parent,
            TrainingFingerprint = "fp-" + version,
            Metrics = new() { ["accuracy"] = 0.9 },
        });

    [Fact]
    public void Promote_SecondVersion_OldChampionRetiredAndHistoryAppended()
    {
        Register("v1");
        Register("v2", "v1");
        _t.Db.Models.Promote("v1", "base model");
        _t.Time.Advance(TimeSpan.FromDays(1));
        _t.Db.Models.Promote("v2", "better accuracy");

        Assert.Equal("v2", _t.Db.Models.Champion()!.Version);
        Assert.Equal(ModelStatus.Retired, _t.Db.Models.Get("v1")!.Status);
        Assert.Equal(
            [(ModelEventKind.Promote, "v1", null), (ModelEventKind.Promote, "v2", "v1")],
            _t.Db.Models.Events().Select(e => (e.Kind, e.Version, e.PreviousVersion)));
    }

    [Fact]
    public void Rollback_TwiceAfterThreePromotions_WalksBackThroughChampions()
    {
        Register("v1");
        Register("v2", "v1");
        Register("v3", "v2");
        _t.Db.Models.Promote("v1", "base");
        _t.Db.Models.Promote("v2", "better");
        _t.Db.Models.Promote("v3", "better");

        var first = _t.Db.Models.Rollback("v3 misbehaves");
        Assert.Equal(("v2", "v3"), (first.Version, first.PreviousVersion));
        Assert.Equal((ModelStatus.Rejected, "rolled back: v3 misbehaves"), (_t.Db.Models.Get("v3")!.Status, _t.Db.Models.Get("v3")!.RejectionReason));

        _t.Db.Models.Rollback("v2 too");
        Assert.Equal("v1", _t.Db.Models.Champion()!.Version);
        Assert.Single(_t.Db.Models.List(), m => m.Status == ModelStatus.Champion);

        var error = Assert.Throws<ModelRegistryException>(() => _t.Db.Models.Rollback("again"));
        Assert.Contains("no previous champion", error.Message);
    }

    [Fact]
    public void Reject_Candidate_StatusAndEventRecorded()
    {
        Register("v1");
        Register("v2", "v1");
        _t.Db.Models.Promote("v1", "base");

        var entry = _t.Db.Models.Reject("v2", "accuracy 0.80 < champion 0.90");
        _t.Db.Models.Fail(_t.Db.Models.Register(new ModelVersionRecord { Version = "v3", FilePath = "x", TrainingFingerprint = "f" }).Version, "out of memory");

        Assert.Equal((ModelEventKind.Reject, "v2", "v1"), (entry.Kind, entry.Version, entry.PreviousVersion));
        Assert.Equal((ModelStatus.Rejected, "accuracy 0.80 < champion 0.90"), (_t.Db.Models.Get("v2")!.Status, _t.Db.Models.Get("v2")!.RejectionReason));
        Assert.Equal(ModelStatus.Failed, _t.Db.Models.Get("v3")!.Status);
        Assert.Equal("v1", _t.Db.Models.Champion()!.Version);
        Assert.Throws<ModelRegistryException>(() => _t.Db.Models.Reject("v1", "champion cannot be rejected"));
    }

    [Fact]
    public void Champion_AfterReopen_Found()
    {
        var registered = Register("v1");
        _t.Db.Models.Promote("v1", "base");

        var champion = _t.Reopen().Models.Champion()!;

        Assert.Equal(registered with { Status = ModelStatus.Champion, Metrics = champion.Metrics, BaseFolders = champion.BaseFolders }, champion);
        Assert.Equal(0.9, champion.Metrics["accuracy"]);
        Assert.Equal(_t.Time.GetUtcNow(), champion.CreatedAt);
    }

    [Fact]
    public void Register_DuplicateChampionOrUnknownParent_Throws()
    {
        Register("v1");

        Assert.Contains("already registered", Assert.Throws<ModelRegistryException>(() => Register("v1")).Message);
        Assert.Contains("Parent", Assert.Throws<ModelRegistryException>(() => Register("v2", "v9")).Message);
        Assert.Throws<ArgumentException>(() => _t.Db.Models.Register(new ModelVersionRecord
        {
            Version = "v5", FilePath = "x", TrainingFingerprint = "f", Status = ModelStatus.Champion,
        }));
        Assert.Throws<ModelRegistryException>(() => _t.Db.Models.Promote("v7", "unknown"));
    }

    [Fact]
    public void Register_WithBaseFolders_StoredAsGivenAndResolvedOpaqueStrings()
    {
        BaseFolderRecord[] folders =
        [
            new() { Given = "../shared/photos/wild#train", Resolved = "/work/shared/photos/wild#train" },
            new() { Given = "data/sample", Resolved = "/work/main/data/sample" },
        ];
        _t.Db.Models.Register(new ModelVersionRecord { Version = "v1", FilePath = "models/v1.bin", TrainingFingerprint = "f", BaseFolders = folders });

        Assert.Equal(folders, _t.Reopen().Models.Get("v1")!.BaseFolders);
        Assert.Empty(Register("v2", "v1").BaseFolders); // older records and callers that know none: empty
        Assert.Throws<ArgumentException>(() => _t.Db.Models.Register(new ModelVersionRecord
        {
            Version = "v3", FilePath = "x", TrainingFingerprint = "f", BaseFolders = [new() { Given = "photos", Resolved = " " }],
        }));
    }

    [Fact]
    public void NextVersion_NumberedAndOtherNames_OneAboveHighestNumber()
    {
        Assert.Equal("v1", _t.Db.Models.NextVersion());
        Register("v1");
        Register("v10");
        Register("base-2025");

        Assert.Equal("v11", _t.Db.Models.NextVersion());
    }

    public void Dispose() => _t.Dispose();
}
