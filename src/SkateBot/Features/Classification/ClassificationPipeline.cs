using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SkateBot.Storage;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.Classification;

/// <summary>An image as it arrived, and where from.</summary>
public sealed record ImageSubmission(byte[] Bytes, string SourceName, ImageOrigin Origin);

/// <summary>A classified image; <see cref="Recorded"/> is false when storage was full, so the answer stands but nothing
/// (image, prediction, later votes) could be kept.</summary>
public sealed record ClassifiedImage(string Sha, ClassificationResult Result, string SourceName, bool Recorded = true);

/// <summary>
/// The one path every image takes (Discord, Reddit, CLI): decode under limits, store a normalised copy once by SHA-256 of
/// the original bytes, classify with the serving model (batched with concurrent callers), record the prediction.
/// When the data folder is full the photo is still answered (the model is in memory): the answer says it was not
/// recorded, and a warning names the folder; /healthz reports the database as failing meanwhile.
/// Each classified photo logs one line with the ids to follow it: where it came from (Discord channel/message, Reddit
/// post), its image hash (the storage key) and the model version that answered.
/// </summary>
public sealed partial class ClassificationPipeline(SkateDatabase db, ModelHost host, ImageLoader loader, Observability.SkateBotMetrics? metrics = null,
    ILogger<ClassificationPipeline>? logger = null, Microsoft.Extensions.Options.IOptions<Vision.ImagesOptions>? images = null)
{
    private readonly SemaphoreSlim _decodes = new(images?.Value.EffectiveConcurrentDecodes ?? Environment.ProcessorCount);
    private int _decoding, _decodingPeak;

    /// <summary>The most decodes that ran at once so far (at most <c>Images:MaxConcurrentDecodes</c>).</summary>
    public int DecodesAtOncePeak => Volatile.Read(ref _decodingPeak);

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
        bool recorded;
        // Decodes take turns (Images:MaxConcurrentDecodes): twenty 40 MP photos at once hold at most that many decode
        // buffers; the rest wait here, before any pixel is allocated.
        await _decodes.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = Interlocked.Increment(ref _decoding);
            for (var peak = Volatile.Read(ref _decodingPeak); now > peak && Interlocked.CompareExchange(ref _decodingPeak, now, peak) != peak;)
                peak = Volatile.Read(ref _decodingPeak);
            // One decode, only as large as the model's views and the stored copy need (a 12 MP JPEG decodes at 1/4 scale).
            using (var loaded = loader.Load(submission.Bytes, submission.SourceName, DecodeNeedOf(host.Current)))
            {
                var stored = ImageTensorizer.NormalizedCopy(loaded.Image, StoredSide);
                recorded = Record(() => db.Images.Put(sha, stored.Jpeg, stored.Width, stored.Height, submission.Origin), sha);
                input = host.Preprocess(loaded.Image);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _decoding);
            _decodes.Release();
        }
        var result = await host.ClassifyAsync(input, ct).ConfigureAwait(false);
        recorded = recorded && Record(() => db.Predictions.Add(sha, result.ModelVersion, result.Label, result.Probabilities, context), sha);
        metrics?.Classified(submission.Origin.Kind, result.Label, started);
        if (logger is not null)
            LogClassified(logger, submission.Origin.Kind, submission.Origin.ExternalId ?? submission.SourceName, sha, result.ModelVersion, result.Label,
                result.Confidence, context ?? "");
        return new ClassifiedImage(sha, result, submission.SourceName, recorded);
    }

    private bool Record(Action write, string sha)
    {
        try
        {
            write();
            return true;
        }
        catch (StorageFullException ex)
        {
            if (logger is not null) LogNotRecorded(logger, sha[..12], ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Image {Image} answered but not recorded: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string image, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Classified {Source} {SourceId} image {ImageSha} with model {ModelVersion}: {Label} ({Confidence:0.000}) [{Context}]")]
    private static partial void LogClassified(ILogger logger, string source, string sourceId, string imageSha, string modelVersion, string label,
        double confidence, string context);
}
