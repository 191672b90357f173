using System.Security.Cryptography;
using SkateBot.Storage;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.Classification;

/// <summary>An image as it arrived, and where from.</summary>
public sealed record ImageSubmission(byte[] Bytes, string SourceName, ImageOrigin Origin);

public sealed record ClassifiedImage(string Sha, ClassificationResult Result, string SourceName);

/// <summary>
/// The one path every image takes (Discord, Reddit, CLI): decode under limits, store a normalised copy once by SHA-256 of
/// the original bytes, classify with the serving model (batched with concurrent callers), record the prediction.
/// </summary>
public sealed class ClassificationPipeline(SkateDatabase db, ModelHost host, ImageLoader loader, Observability.SkateBotMetrics? metrics = null)
{
    /// <summary>Longest side of the normalised copy stored for each received image.</summary>
    public const int StoredSide = 512;

    public ModelHost Host => host;

    /// <summary>What one decode must give: the serving model's views and the stored copy (in full while no model is loaded).</summary>
    public static DecodeNeed DecodeNeedOf(SkateClassifier? model) => model is null
        ? DecodeNeed.Full
        : InputViews.Need(model.Preprocessing, model.InputSize).And(ImageTensorizer.StoredCopyNeed(StoredSide));

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <exception cref="ImageLoadException">The bytes are not a usable image (the message is one line, safe to show users).</exception>
    public async Task<ClassifiedImage> ClassifyAsync(ImageSubmission submission, string? context = null, CancellationToken ct = default)
    {
        var started = metrics?.Start();
        var sha = Sha256(submission.Bytes);
        float[][] input;
        // One decode, only as large as the model's views and the stored copy need (a 12 MP JPEG decodes at 1/4 scale).
        using (var loaded = loader.Load(submission.Bytes, submission.SourceName, DecodeNeedOf(host.Current)))
        {
            var stored = ImageTensorizer.NormalizedCopy(loaded.Image, StoredSide);
            db.Images.Put(sha, stored.Jpeg, stored.Width, stored.Height, submission.Origin);
            input = host.Preprocess(loaded.Image);
        }
        var result = await host.ClassifyAsync(input, ct).ConfigureAwait(false);
        db.Predictions.Add(sha, result.ModelVersion, result.Label, result.Probabilities, context);
        metrics?.Classified(submission.Origin.Kind, result.Label, started);
        return new ClassifiedImage(sha, result, submission.SourceName);
    }
}
