using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
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
/// Each classified photo logs one line with the ids to follow it: where it came from (Discord channel/message, Reddit
/// post), its image hash (the storage key) and the model version that answered.
/// </summary>
public sealed partial class ClassificationPipeline(SkateDatabase db, ModelHost host, ImageLoader loader, Observability.SkateBotMetrics? metrics = null,
    ILogger<ClassificationPipeline>? logger = null)
{
    public ModelHost Host => host;

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <exception cref="ImageLoadException">The bytes are not a usable image (the message is one line, safe to show users).</exception>
    public async Task<ClassifiedImage> ClassifyAsync(ImageSubmission submission, string? context = null, CancellationToken ct = default)
    {
        var started = metrics?.Start();
        var sha = Sha256(submission.Bytes);
        float[][] input;
        using (var image = loader.Load(submission.Bytes, submission.SourceName))
        {
            db.Images.Put(sha, ImageTensorizer.NormalizedJpeg(image, 512), image.Width, image.Height, submission.Origin);
            input = host.Preprocess(image);
        }
        var result = await host.ClassifyAsync(input, ct).ConfigureAwait(false);
        db.Predictions.Add(sha, result.ModelVersion, result.Label, result.Probabilities, context);
        metrics?.Classified(submission.Origin.Kind, result.Label, started);
        if (logger is not null)
            LogClassified(logger, submission.Origin.Kind, submission.Origin.ExternalId ?? submission.SourceName, sha, result.ModelVersion, result.Label,
                result.Confidence, context ?? "");
        return new ClassifiedImage(sha, result, submission.SourceName);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Classified {Source} {SourceId} image {ImageSha} with model {ModelVersion}: {Label} ({Confidence:0.000}) [{Context}]")]
    private static partial void LogClassified(ILogger logger, string source, string sourceId, string imageSha, string modelVersion, string label,
        double confidence, string context);
}
