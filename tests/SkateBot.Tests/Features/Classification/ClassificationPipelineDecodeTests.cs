using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Features.Classification;
using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.RedditScanning;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;
using TorchSharp;

namespace SkateBot.Tests.Features.Classification;

/// <summary>One decode per photo feeds both the model and the stored copy; the store records what it holds.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class ClassificationPipelineDecodeTests(TinyModelFixture model) : IDisposable
{
    private readonly TempDirectory _dir = new("pipeline-decode");

    public void Dispose() => _dir.Dispose();

    private static byte[] Photo(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        var rng = new Random(3);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++) row[x] = new Rgb24((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)rng.Next(256));
            }
        });
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 85 });
        return output.ToArray();
    }

    [Fact]
    public async Task Classify_LargeJpeg_StoresA512CopyAndRecordsItsSize()
    {
        using var db = SkateDatabase.Open(_dir.Path);
        await using var host = new ModelHost();
        host.Publish(SkateClassifier.Load(model.CheckpointPath, torch.CPU));
        var pipeline = new ClassificationPipeline(db, host, new ImageLoader());
        var bytes = Photo(1600, 1200);

        var classified = await pipeline.ClassifyAsync(new ImageSubmission(bytes, "big.jpg", new ImageOrigin("cli", null, null, DateTimeOffset.UnixEpoch)));

        var record = db.Images.Get(classified.Sha)!;
        var stored = Image.Identify(db.Images.ReadBytes(classified.Sha)!);
        Assert.Equal((512, 384), (stored.Width, stored.Height));
        // The record describes the stored (normalised) image, as ImageRecord documents; it used to get the original's size.
        Assert.Equal((512, 384), (record.Width, record.Height));
    }

    [Fact]
    public void DecodeNeed_CoversTheModelsViewsAndTheStoredCopy()
    {
        using var classifier = SkateClassifier.Load(model.CheckpointPath, torch.CPU);

        Assert.Equal(new DecodeNeed(64, 512), ClassificationPipeline.DecodeNeedOf(classifier));
        Assert.True(ClassificationPipeline.DecodeNeedOf(null).IsFull);
    }
}
