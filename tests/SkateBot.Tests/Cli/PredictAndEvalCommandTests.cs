using System.Text.Json;
using SkateBot.Cli;
using SkateBot.Tests.Features.Retraining;
using SkateBot.Vision.Samples;

namespace SkateBot.Tests.Cli;

/// <summary>Bad input to <c>predict</c> and <c>eval</c>: one clear line per problem, the rest still done, exit code 1.</summary>
[Collection(RetrainingCollection.Name)]
public sealed class PredictAndEvalCommandTests(RetrainingFixture fixture)
{
    [Fact]
    public async Task Predict_MissingAndTextFilesAmongPhotos_OneLineEachAndTheRestClassified()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        var first = h.Combine(fixture.Pool[0].Name);
        var last = h.Combine(fixture.Pool[^1].Name);
        File.WriteAllBytes(first, fixture.Pool[0].Bytes);
        File.WriteAllBytes(last, fixture.Pool[^1].Bytes);
        var text = h.Combine("notes.txt");
        File.WriteAllText(text, "this is not a photo\nat all\n");
        var missing = h.Combine("missing.jpg");

        var run = await h.CliAsync("predict", first, missing, text, last);

        Assert.Equal(CliApp.ExitError, run.ExitCode);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errors.Length);
        Assert.Equal("error: missing.jpg: file not found", errors[0]);
        Assert.StartsWith("error: notes.txt: ", errors[1], StringComparison.Ordinal);
        var results = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, results.Length);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(first)}: (aggressive_skates|inline_skates) \(\d+\.\d %, model v1\)$", results[0]);
        Assert.StartsWith(last + ": ", results[1], StringComparison.Ordinal);

        var timed = await h.CliAsync("predict", "--timings", first, last);
        Assert.Equal(0, timed.ExitCode);
        Assert.Matches(@"^timings: 2 files, model load \d+ ms, decode \+ preprocess [\d.]+ ms/file \([\d.]+ ms/file not overlapped with the forward pass\), forward [\d.]+ ms/file", timed.Error.Trim());
        Assert.Equal(2, timed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var json = await h.CliAsync("predict", "--json", first, missing);
        Assert.Equal(CliApp.ExitError, json.ExitCode);
        var rows = JsonDocument.Parse(json.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal("missing.jpg: file not found", rows.Single(r => r.TryGetProperty("error", out _)).GetProperty("error").GetString());
        Assert.Equal("v1", rows.Single(r => r.TryGetProperty("label", out _)).GetProperty("model").GetString());
    }

    [Fact]
    public async Task Predict_FilesOverSeveralBatches_EachAnsweredOnceInTheirOrderAsInOneBatch()
    {
        // predict decodes the next batch while the current one is in the forward pass: the answers, their order and a bad
        // file's place among them must be what a single batch gives.
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        var files = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var path = h.Combine($"{i}-{fixture.Pool[i].Name}");
            File.WriteAllBytes(path, fixture.Pool[i].Bytes);
            files.Add(path);
        }
        var broken = h.Combine("3-broken.jpg");
        File.WriteAllBytes(broken, fixture.Pool[3].Bytes[..200]);
        files.Insert(3, broken);

        var whole = await h.CliAsync(["predict", "--json", .. files]);
        h.Settings["Model:MaxBatchSize"] = "2";
        var batched = await h.CliAsync(["predict", "--json", .. files]);

        Assert.Equal(CliApp.ExitError, batched.ExitCode);
        var rows = JsonDocument.Parse(batched.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(files, rows.Select(r => r.GetProperty("file").GetString()));
        Assert.True(rows[3].TryGetProperty("error", out _), rows[3].ToString());
        Assert.Equal(6, rows.Count(r => r.TryGetProperty("label", out _)));
        Assert.Equal(whole.Output, batched.Output);
    }

    [Fact]
    public async Task Predict_NoModelTrainedYet_SaysToTrainFirst()
    {
        await using var h = new LoopHarness(fixture);
        var photo = h.Combine(fixture.Pool[0].Name);
        File.WriteAllBytes(photo, fixture.Pool[0].Bytes);

        var run = await h.CliAsync("predict", photo);

        Assert.Equal(CliApp.ExitError, run.ExitCode);
        Assert.StartsWith("error: No model has been trained yet: run `", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_FolderWithClassUnknownToModel_ClearError()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        foreach (var (image, className) in new[] { (fixture.Pool[^1], SkateSampleGenerator.InlineClass), (fixture.Pool[0], "quad_skates") })
        {
            var dir = Directory.CreateDirectory(h.Combine("eval", className)).FullName;
            File.WriteAllBytes(Path.Combine(dir, image.Name), image.Bytes);
        }

        var run = await h.CliAsync("eval", h.Combine("eval"));

        Assert.Equal(CliApp.ExitError, run.ExitCode);
        Assert.Equal("error: Model v1 knows the classes [aggressive_skates, inline_skates]; the evaluation set also has [quad_skates].", run.Error.Trim());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Eval_LabelledFolder_PrintsErrorRateOfTheServingModel()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        foreach (var image in fixture.Pool.Where((_, i) => i % 10 == 0))
        {
            var dir = Directory.CreateDirectory(h.Combine("eval", image.ClassName)).FullName;
            File.WriteAllBytes(Path.Combine(dir, image.Name), image.Bytes);
        }

        var run = await h.CliAsync("eval", h.Combine("eval"));

        Assert.Equal(0, run.ExitCode);
        Assert.Matches($@"^Model v1 on {System.Text.RegularExpressions.Regex.Escape(h.Combine("eval"))}: error rate \d+\.\d % \(\d of 6 wrong\)", run.Output);
    }

    [Theory]
    [InlineData(null)]    // the checkpoint's own threshold (the default)
    [InlineData("0.5")]   // every first view decides (the best of two classes always has at least half)
    [InlineData("1")]     // every view of every photo
    public async Task PredictAndEval_AnswerEachPhotoAlike_UnderTheFirstViewRule(string? firstViewAbove)
    {
        // predict (and so the service, through the same classifier) and eval (and so the retrain gate) must use one rule
        // for which views of a photo are forwarded, or eval would measure a model other than the one people talk to.
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        var files = new List<string>();
        foreach (var image in fixture.Pool.Where((_, i) => i % 5 == 0))
        {
            var dir = Directory.CreateDirectory(h.Combine("eval", image.ClassName)).FullName;
            files.Add(Path.Combine(dir, image.Name));
            File.WriteAllBytes(files[^1], image.Bytes);
        }
        string[] rule = firstViewAbove is null ? [] : ["--first-view-above", firstViewAbove];

        var predict = await h.CliAsync(["predict", "--json", .. rule, .. files]);
        var eval = await h.CliAsync(["eval", "--json", .. rule, h.Combine("eval")]);

        Assert.Equal(0, predict.ExitCode);
        Assert.Equal(0, eval.ExitCode);
        var rows = JsonDocument.Parse(predict.Output).RootElement.EnumerateArray()
            .ToDictionary(r => r.GetProperty("file").GetString()!, r => (Label: r.GetProperty("label").GetString(), Views: r.GetProperty("views").GetInt32()));
        var summary = JsonDocument.Parse(eval.Output).RootElement;
        var answers = summary.GetProperty("answers").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetString()!, a => a.GetProperty("answer").GetString());
        Assert.Equal(files.Order(), answers.Keys.Order());
        foreach (var file in files) Assert.Equal(answers[file], rows[file].Label);
        Assert.Equal(rows.Values.Sum(r => r.Views), summary.GetProperty("views_forwarded").GetInt32());
        // The threshold-free figures are in the summary; the drawn samples have no "other" photos, so no AUC.
        Assert.InRange(summary.GetProperty("skate_class_right_rate").GetDouble(), 0, 1);
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("other_auc").ValueKind);
        // Both ran the default precision's graph (int8: the fixture's models were calibrated when trained).
        Assert.Contains("int8", summary.GetProperty("engine").GetString());
        // The drawn samples are square: the centre square is the padded whole photo, pixel for pixel, and is not
        // forwarded twice, so every view forwarded is 2 where it used to be 3.
        Assert.All(rows.Values, r => Assert.Contains(r.Views, new[] { 1, 2 }));
        if (firstViewAbove == "0.5") Assert.All(rows.Values, r => Assert.Equal(1, r.Views));
        if (firstViewAbove == "1") Assert.All(rows.Values, r => Assert.Equal(2, r.Views));
    }

    [Fact]
    public async Task FirstViewAbove_OutOfRange_RefusedNamingTheOption()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        var run = await h.CliAsync("eval", "--first-view-above", "1.5", h.Combine("eval"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--first-view-above must be above 0 and at most 1.", run.Error + run.Output);
    }
}
