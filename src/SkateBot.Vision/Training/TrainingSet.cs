using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SkateBot.Vision.Training;

/// <summary>One image to train or validate on. <paramref name="Open"/> decodes it (with limits) when training starts.</summary>
/// <param name="Weight">Loss weight, e.g. above 1 for images people corrected the model on.</param>
public sealed record TrainingExample(string Id, int ClassIndex, Func<Image<Rgb24>> Open, double Weight = 1.0);

/// <summary>What a training run sees: class names, the examples, and a fingerprint recorded in the checkpoint.</summary>
public sealed record TrainingSet(
    IReadOnlyList<string> Classes,
    IReadOnlyList<TrainingExample> Train,
    IReadOnlyList<TrainingExample> Valid,
    string Fingerprint)
{
    public void Validate()
    {
        if (Classes.Count < 2) throw new ArgumentException("A training set needs at least two classes.");
        if (Train.Count == 0) throw new ArgumentException("The training set has no images.");
        var bad = Train.Concat(Valid).FirstOrDefault(e => e.ClassIndex < 0 || e.ClassIndex >= Classes.Count);
        if (bad is not null) throw new ArgumentException($"{bad.Id}: class index {bad.ClassIndex} is outside the {Classes.Count} classes.");
    }
}
