using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SkateBot.Vision.Training;

/// <summary>Decoded, downsized training images kept in memory for the run; the ones that fail to load are reported and skipped.</summary>
internal sealed class PreparedImages : IDisposable
{
    public List<(TrainingExample Example, Image<Rgb24> Image)> Items { get; } = [];

    public static PreparedImages Load(IEnumerable<TrainingExample> examples, int workingSide, ITrainingObserver observer, CancellationToken ct)
    {
        var prepared = new PreparedImages();
        foreach (var example in examples)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var image = example.Open();
                var shorter = Math.Min(image.Width, image.Height);
                if (shorter > workingSide)
                {
                    var scale = (double)workingSide / shorter;
                    image.Mutate(x => x.Resize((int)Math.Round(image.Width * scale), (int)Math.Round(image.Height * scale)));
                }
                prepared.Items.Add((example, image));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One bad file never stops a run: report it and carry on.
                observer.ImageSkipped(example.Id, ex.Message);
            }
        }
        return prepared;
    }

    public void Dispose()
    {
        foreach (var (_, image) in Items) image.Dispose();
        Items.Clear();
    }
}
