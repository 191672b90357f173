using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Vision.Training;

/// <summary>
/// Adds <see cref="Compositor"/> images to a training run: each studio skate shot (plain background, skate class) pasted
/// into wild photos of the same run. Made once per run from its seed; nothing is written to disk.
/// </summary>
internal static class Composites
{
    public static int AddTo(PreparedImages train, IReadOnlyList<string> classes, int perStudioImage, Random rng)
    {
        if (perStudioImage <= 0) return 0;
        var cutOuts = new List<(TrainingExample Example, CutOut Skate)>();
        var scenes = new List<Image<Rgb24>>();
        foreach (var (example, image) in train.Items)
        {
            var skate = Compositor.TryCutOut(image);
            if (skate is null) scenes.Add(image);
            // Only skate classes: pasting product shots of quads too made studio inline shots look like "other" (README).
            else if (Answering.IsSkateClass(classes[example.ClassIndex])) cutOuts.Add((example, skate));
        }
        if (cutOuts.Count == 0 || scenes.Count == 0) return 0;
        var added = 0;
        foreach (var (example, skate) in cutOuts)
            for (var k = 0; k < perStudioImage; k++)
            {
                var scene = scenes[rng.Next(scenes.Count)];
                var composite = Compositor.Paste(skate, scene, rng);
                train.Items.Add((example with { Id = $"{example.Id}#composite{k}" }, composite));
                added++;
            }
        return added;
    }
}
