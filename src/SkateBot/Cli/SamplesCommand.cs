using System.CommandLine;
using SkateBot.Vision.Samples;

namespace SkateBot.Cli;

/// <summary><c>samples [dir]</c>: regenerate the drawn sample data set (deterministic for a seed).</summary>
public static class SamplesCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var dir = new Argument<string>("directory") { Description = "Output folder.", DefaultValueFactory = _ => "data/sample" };
        var perClass = new Option<int>("--per-class") { Description = "Images per class.", DefaultValueFactory = _ => 120 };
        var seed = new Option<int>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 1234 };
        var skatesOnly = new Option<bool>("--skates-only")
        {
            Description = "Draw only the two skate classes, without the other/ folder of quads and ice skates (\"not an inline skate\").",
        };
        var command = new Command("samples", "Draw the synthetic skate images a fresh clone trains on: aggressive, inline, and other (quads, ice skates).")
        {
            dir, perClass, seed, skatesOnly,
        };
        command.SetAction(parse =>
        {
            using var ctx = context();
            var output = parse.GetValue(dir)!;
            bool withOther = !parse.GetValue(skatesOnly);
            SkateSampleGenerator.Generate(output, parse.GetValue(perClass), parse.GetValue(seed), withOther: withOther);
            ctx.Output.WriteLine($"Wrote {parse.GetValue(perClass)} images per class ({string.Join(", ", SkateSampleGenerator.Classes(withOther))}) to {output}.");
            return 0;
        });
        return command;
    }
}
