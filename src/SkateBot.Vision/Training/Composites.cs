using System.Security.Cryptography;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Vision.Training;

/// <summary>
/// Adds <see cref="Compositor"/> images to a training run: each studio skate shot (plain background, skate class) pasted
/// into wild photos of the same run. Nothing is written to disk.
/// <para>Each composite depends only on the run's seed, its studio shot's pixels, its index and the pixels of the scenes:
/// composite k of a shot goes into the scene that scores highest for (seed, shot, k) (rendezvous hashing), pasted with a
/// generator seeded by all four. A retrain that brings new labels (new scenes) changes only the few composites a new
/// scene now wins; every other composite is the same image as last time, so its body features come from the
/// <see cref="FeatureCache"/> instead of being forwarded again. (Drawn from the run's generator, as before, one new scene
/// changed every composite after it.)</para>
/// </summary>
internal static class Composites
{
    public static int AddTo(PreparedImages train, IReadOnlyList<string> classes, int perStudioImage, int seed)
    {
        if (perStudioImage <= 0) return 0;
        var cutOuts = new List<(TrainingExample Example, CutOut Skate, string Hash)>();
        var scenes = new List<(Image<Rgb24> Image, string Hash)>();
        foreach (var (example, image) in train.Items)
        {
            var skate = Compositor.TryCutOut(image);
            if (skate is null) scenes.Add((image, FeatureCache.ImageHash(image)));
            // Only skate classes: pasting product shots of quads too made studio inline shots look like "other" (README).
            else if (Answering.IsSkateClass(classes[example.ClassIndex])) cutOuts.Add((example, skate, FeatureCache.ImageHash(image)));
        }
        if (cutOuts.Count == 0 || scenes.Count == 0) return 0;
        var added = 0;
        foreach (var (example, skate, hash) in cutOuts)
            for (var k = 0; k < perStudioImage; k++)
            {
                var (scene, score) = (-1, 0UL);
                for (var s = 0; s < scenes.Count; s++)
                {
                    var candidate = Score(seed, hash, k, scenes[s].Hash);
                    if (scene < 0 || candidate > score) (scene, score) = (s, candidate);
                }
                var composite = Compositor.Paste(skate, scenes[scene].Image, new Random(unchecked((int)score)));
                train.Items.Add((example with { Id = $"{example.Id}#composite{k}" }, composite));
                added++;
            }
        return added;
    }

    /// <summary>A scene's score for composite <paramref name="k"/> of a studio shot: the first 8 bytes of a SHA-256.</summary>
    internal static ulong Score(int seed, string studioHash, int k, string sceneHash) =>
        BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"composite;{seed};{studioHash};{k};{sceneHash}")), 0);
}
