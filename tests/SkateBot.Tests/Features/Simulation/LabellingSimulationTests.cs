using SkateBot.Features.Simulation;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.Retraining;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Samples;

namespace SkateBot.Tests.Features.Simulation;

[Collection(RetrainingCollection.Name)]
public sealed class LabellingSimulationTests(RetrainingFixture fixture)
{
    [Fact]
    public async Task Simulate_DrawnSamples_RunsEndToEndAndLearnsFromTheCorrections()
    {
        using var root = new TempDirectory("skatebot-simulate");
        var eval = root.Combine("eval");
        SkateSampleGenerator.Generate(eval, 15, 303);
        var pool = Path.GetDirectoryName(Path.GetDirectoryName(fixture.Pool[0].Path))!;
        using var harness = new StringWriter();
        await using var loop = new LoopHarness(fixture);
        var settings = new SimulationSettings
        {
            StreamFolder = pool, EvalFolders = [eval, pool], ChampionCheckpoint = fixture.Checkpoints["v1"], BaseFolders = [fixture.BaseSet],
            OutputDirectory = root.Combine("out"), PostsPerRound = 20, Seed = 3,
            Overrides = new Dictionary<string, string?> { ["Model:Device"] = "cpu", ["Training:BatchSize"] = "8", ["Retraining:FrozenEpochs"] = "3", ["Retraining:UnfrozenEpochs"] = "0" },
        };

        var rows = await new LabellingSimulation(loop.Configuration(), settings, harness).RunAsync();
        var (json, png) = SimulationOutput.Write(settings.OutputDirectory, rows, settings);
        SimulationOutput.Print(harness, rows, settings.EvalFolders);
        Console.WriteLine(harness);

        Assert.Equal(1 + 3, rows.Count); // the start, then one row per round of 20 of the 60 pool images
        Assert.True(File.Exists(json) && new FileInfo(png).Length > 1000);
        Assert.True(rows[^1].ImagesLabelled > 0, "the champion made mistakes for people to correct");
        // The posted photos themselves: what people corrected is learnt (the loop closes). The photos never posted: not
        // worse by more than one photo. On 30 drawn photos one retrain moves the rate by a photo or two either way (other
        // seeds of this run: 9 → 10, 10 → 4), and the champion itself is trained while other collections train too (CI
        // once started it at 8 of 30 and ended at 9, where a run alone goes 10 → 7), which is why the second claim is
        // "not worse beyond one photo", not "better".
        var (postedStart, postedEnd) = (rows[0].Figures[1], rows[^1].Figures[1]);
        // A failure carries the whole run (every retrain, the gate's reasons, the table): one CI run's "9 to 14" alone could
        // not be told apart from a run whose int8 answers differed by CPU (now fixed: 7-bit weights).
        Assert.True(postedEnd.Errors < postedStart.Errors, $"on the posted photos the error went from {postedStart.Errors} to {postedEnd.Errors} of {postedEnd.Images}\n{harness}");
        var (start, end) = (rows[0].Figures[0], rows[^1].Figures[0]);
        Assert.True(end.Errors <= start.Errors + 1, $"the error on the evaluation set went from {start.Errors} to {end.Errors} of {end.Images}\n{harness}");
        Assert.Contains(rows.Skip(1), r => r.Outcome.StartsWith("promoted", StringComparison.Ordinal));
        // The threshold-free figures reach the curve's JSON: the drawn samples are all skates, so a skate class right
        // rate and no P(other) AUC.
        var first = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("rows")[0].GetProperty("figures")[0];
        Assert.InRange(first.GetProperty("skate_class_right_rate").GetDouble(), 0, 1);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("other_auc").ValueKind);
    }

    [Fact]
    public void IsRight_OtherPhotoAnsweredUnsure_IsRight()
    {
        var unsure = new ClassificationResult(Answering.Unsure, 0.4, new Dictionary<string, double>(), "v1");
        var named = new ClassificationResult("inline_skates", 0.9, new Dictionary<string, double>(), "v1");
        Assert.True(LabellingSimulation.IsRight(unsure, Answering.OtherClass));
        Assert.False(LabellingSimulation.IsRight(named, Answering.OtherClass));
        Assert.False(LabellingSimulation.IsRight(unsure, "inline_skates"));
        Assert.True(LabellingSimulation.IsRight(named, "inline_skates"));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Choose_Corrections_LabelsEveryMistakeAndTheConfirmedShareOfRightAnswers(double share)
    {
        var settings = new SimulationSettings
        {
            StreamFolder = "x", EvalFolders = ["y"], ChampionCheckpoint = "c", BaseFolders = [], OutputDirectory = "o", ConfirmShare = share,
        };
        var simulation = new LabellingSimulation(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), settings, TextWriter.Null);
        var named = new ClassificationResult("inline_skates", 0.9, new Dictionary<string, double>(), "v1");
        var answers = Enumerable.Range(0, 200).Select(i => ($"sha{i}", i < 20 ? "aggressive_skates" : "inline_skates", named)).ToList();

        var chosen = simulation.Choose(SimulationStrategy.Corrections, answers, new Random(5));

        Assert.Equal(20, chosen.Count(c => c.Truth == "aggressive_skates")); // every wrong answer
        Assert.InRange(chosen.Count(c => c.Truth == "inline_skates"), (int)(share * 180 * 0.7), (int)Math.Ceiling(share * 180 * 1.3));
    }

    [Fact]
    public void Validate_UnknownStrategy_NamesTheChoices()
    {
        var settings = new SimulationSettings
        {
            StreamFolder = "x", EvalFolders = ["y"], ChampionCheckpoint = "c", BaseFolders = [], OutputDirectory = "o", Strategies = ["loudest"],
        };
        Assert.Contains("uncertain", Assert.Throws<ArgumentException>(settings.Validate).Message);
    }
}
