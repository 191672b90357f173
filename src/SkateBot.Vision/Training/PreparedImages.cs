using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SkateBot.Vision.Training;

/// <summary>Decoded, downsized training images kept in memory for the run; the ones that fail to load are reported and skipped.</summary>
internal sealed class PreparedImages : IDisposable
{
    public List<(TrainingExample Example, Image<Rgb24> Image)> Items { get; } = [];

    /// <param name="threads">Images decoded side by side (the run's training threads); the order of
    /// <paramref name="examples"/> is kept, and skipped images are reported in that order.</param>
    public static PreparedImages Load(IEnumerable<TrainingExample> examples, int workingSide, ITrainingObserver observer, CancellationToken ct,
        int threads = 1)
    {
        var list = examples.ToList();
        var images = new Image<Rgb24>?[list.Count];
        var errors = new string?[list.Count];
        try
        {
            // Threads of the run's own, not the pool's: they share a background retrain's lowered CPU priority.
            Devices.OwnThreads.ForEach(Enumerable.Range(0, list.Count).ToList(), threads, i =>
            {
                try
                {
                    images[i] = Prepare(list[i], workingSide);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    errors[i] = ex.Message;
                }
            }, ct);
        }
        catch
        {
            foreach (var image in images) image?.Dispose();
            throw;
        }
        var prepared = new PreparedImages();
        for (var i = 0; i < list.Count; i++)
        {
            // One bad file never stops a run: report it and carry on.
            if (images[i] is { } image) prepared.Items.Add((list[i], image));
            else observer.ImageSkipped(list[i].Id, errors[i] ?? "not read");
        }
        return prepared;
    }

    private static Image<Rgb24> Prepare(TrainingExample example, int workingSide)
    {
        var image = example.Open();
        try
        {
            var shorter = Math.Min(image.Width, image.Height);
            if (shorter > workingSide)
            {
                var scale = (double)workingSide / shorter;
                image.Mutate(x => x.Resize((int)Math.Round(image.Width * scale), (int)Math.Round(image.Height * scale)));
            }
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var (_, image) in Items) image.Dispose();
        Items.Clear();
    }
}
