using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using SkateBot.Vision.Training;
using static TorchSharp.torch;

namespace SkateBot.Vision.Evaluation;

internal static class Evaluator
{
    public const int TopLossCount = 9;

    /// <summary>
    /// The model's logits for each photo given as views (mean over them), in eval mode, reading <paramref name="photos"/>
    /// one batch at a time by index (so a list that makes views on demand holds only one batch of them). A batch is
    /// <paramref name="batchSize"/> views, not photos (<see cref="ViewBatches"/>): 16 three-view photos were 48 images in
    /// one forward, whose intermediates took one unfrozen epoch on 500 images to 2.1 GB resident. Every view is averaged
    /// (training's validation, on which the temperature is fitted); answering follows <see cref="ViewCascade"/>.
    /// </summary>
    public static List<double[]> Logits(SkateNet model, InputConvention convention, Device device,
        IReadOnlyList<float[][]> photos, int batchSize = 16, CancellationToken ct = default)
    {
        model.eval();
        var logits = new List<double[]>(photos.Count);
        using (no_grad())
        {
            foreach (var batch in ViewBatches(photos, batchSize))
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                logits.AddRange(ViewCascade.Logits(batch, (int)model.Head.OutputCount, temperature: 1, firstViewAbove: 1,
                    views => ViewLogits.Forward(x => model.forward(x), convention, device, views)).Logits);
            }
        }
        return logits;
    }

    /// <summary>
    /// Consecutive photos in batches of about <paramref name="batchSize"/> views: photos are added until the batch holds
    /// that many views (a photo is never split, and a batch has at least one). Read lazily, a batch at a time.
    /// </summary>
    internal static IEnumerable<List<float[][]>> ViewBatches(IReadOnlyList<float[][]> photos, int batchSize)
    {
        for (var i = 0; i < photos.Count;)
        {
            var batch = new List<float[][]>();
            var views = 0;
            while (i < photos.Count && (batch.Count == 0 || views < batchSize))
            {
                var photo = photos[i++];
                batch.Add(photo);
                views += photo.Length;
            }
            yield return batch;
        }
    }

    /// <summary>Per-item probabilities, answers and losses from logits already computed (one row per sample).</summary>
    public static EvaluationResult FromLogits(IReadOnlyList<string> classes, IReadOnlyList<EvaluationSample> samples,
        IReadOnlyList<double[]> logits, double temperature = 1, double unsureBelow = Inference.Answering.DefaultUnsureBelow)
    {
        if (logits.Count != samples.Count) throw new ArgumentException($"{logits.Count} logit rows for {samples.Count} samples.", nameof(logits));
        var items = new List<ItemPrediction>(samples.Count);
        for (var j = 0; j < samples.Count; j++)
        {
            // Classes beyond the model's (an "other" it never learnt) get no probability.
            var l = logits[j].Concat(Enumerable.Repeat(-1e9, classes.Count - logits[j].Length)).ToArray();
            var p = Calibration.Temperature.Softmax(l, temperature);
            var predicted = Array.IndexOf(p, p.Max());
            var actual = samples[j].ClassIndex;
            var answer = Inference.Answering.Decide(classes, p, unsureBelow).Label;
            items.Add(new ItemPrediction(samples[j].Id, actual, predicted, p, -Math.Log(Math.Max(p[actual], 1e-12))) { Logits = l, Answer = answer });
        }
        var thumbnails = new Dictionary<string, byte[]>();
        var byId = samples.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var top in items.OrderByDescending(i => i.Loss).Take(TopLossCount))
            if (byId[top.Id].Image is { } image) thumbnails[top.Id] = ImageTensorizer.ToThumbnailPng(image, 192);
        return new EvaluationResult { Classes = classes, Items = items, Thumbnails = thumbnails, Temperature = temperature };
    }
}
