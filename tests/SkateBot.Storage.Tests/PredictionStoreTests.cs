namespace SkateBot.Storage.Tests;

public sealed class PredictionStoreTests : IDisposable
{
    private static readonly Dictionary<string, double> Probabilities = new() { ["aggressive"] = 0.3, ["inline"] = 0.7 };
    private readonly TestDb _t = new();

    [Fact]
    public void Latest_TwoPredictions_ReturnsNewestWithAllFields()
    {
        var sha = _t.PutImage();
        _t.Db.Predictions.Add(sha, "v1", "inline", Probabilities, "cli");
        _t.Time.Advance(TimeSpan.FromMinutes(3));
        var second = _t.Db.Predictions.Add(sha, "v2", "aggressive", new Dictionary<string, double> { ["aggressive"] = 0.9, ["inline"] = 0.1 }, "discord:c/m");

        var latest = _t.Reopen().Predictions.Latest(sha)!;

        Assert.Equal(second.Id, latest.Id);
        Assert.Equal(("v2", "aggressive", "discord:c/m", _t.Time.GetUtcNow()), (latest.ModelVersion, latest.PredictedClass, latest.Context, latest.At));
        Assert.Equal(0.9, latest.Probabilities["aggressive"]);
        Assert.Equal(2, _t.Db.Predictions.ForImage(sha).Count);
    }

    [Fact]
    public void CountSince_PredictionsBeforeAndAfter_CountsOnlyLater()
    {
        var sha = _t.PutImage();
        _t.Db.Predictions.Add(sha, "v1", "inline", Probabilities);
        _t.Time.Advance(TimeSpan.FromHours(1));
        var since = _t.Time.GetUtcNow();
        _t.Db.Predictions.Add(sha, "v1", "inline", Probabilities);
        _t.Db.Predictions.Add(sha, "v1", "inline", Probabilities);

        Assert.Equal(2, _t.Db.Predictions.CountSince(since));
        Assert.Equal(0, _t.Db.Predictions.CountSince(since.AddSeconds(1)));
    }

    [Fact]
    public void Add_PredictedClassWithoutProbability_Throws()
    {
        var sha = _t.PutImage();

        Assert.Throws<ArgumentException>(() => _t.Db.Predictions.Add(sha, "v1", "quad", Probabilities));
        Assert.Throws<ArgumentException>(() => _t.Db.Predictions.Add(sha, "v1", "inline", new Dictionary<string, double> { ["inline"] = double.NaN }));
        Assert.Null(_t.Db.Predictions.Latest(sha));
    }

    [Fact]
    public void Add_UnsureAnswer_IsRecordedAndCountsAsMisclassifiedOnceLabelled()
    {
        // Failed before: an unsure answer names no class, and the store refused it, so every unsure photo was lost.
        var sha = _t.PutImage();
        _t.Db.Predictions.Add(sha, "v1", PredictionStore.NoClass, Probabilities, "discord:c/m");
        _t.Db.Labels.Vote(sha, "inline", "u1", isOperator: false, where: "test");

        Assert.Equal(PredictionStore.NoClass, _t.Db.Predictions.Latest(sha)!.PredictedClass);
        Assert.Contains(_t.Db.Misclassified(1), m => m.ImageSha == sha);
    }

    public void Dispose() => _t.Dispose();
}
