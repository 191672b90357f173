using SkateBot.Vision.Imaging;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using SkateBot.Vision.Training;
using static TorchSharp.torch;

namespace SkateBot.Vision.Evaluation;

internal static class Evaluator
{
    public const int TopLossCount = 9;

    /// <summary>Runs the model in eval mode over the samples and collects per-item probabilities and losses.</summary>
    public static EvaluationResult Evaluate(SkateNet model, InputConvention convention, Device device,
        IReadOnlyList<string> classes, IReadOnlyList<EvaluationSample> samples, int batchSize = 16, CancellationToken ct = default,
        double temperature = 1, double unsureBelow = Inference.Answering.DefaultUnsureBelow)
    {
        model.eval();
        var items = new List<ItemPrediction>(samples.Count);
        using (no_grad())
        {
            for (var i = 0; i < samples.Count; i += batchSize)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = samples.Skip(i).Take(batchSize).ToList();
                var logits = ViewLogits.Mean(x => model.forward(x), convention, device, batch.Select(s => s.Views).ToList(), model.Head.OutputCount);
                for (var j = 0; j < batch.Count; j++)
                {
                    // Classes beyond the model's (an "other" it never learnt) get no probability.
                    var l = logits[j].Concat(Enumerable.Repeat(-1e9, classes.Count - logits[j].Length)).ToArray();
                    var p = Calibration.Temperature.Softmax(l, temperature);
                    var predicted = Array.IndexOf(p, p.Max());
                    var actual = batch[j].ClassIndex;
                    var answer = Inference.Answering.Decide(classes, p, unsureBelow).Label;
                    items.Add(new ItemPrediction(batch[j].Id, actual, predicted, p, -Math.Log(Math.Max(p[actual], 1e-12))) { Logits = l, Answer = answer });
                }
            }
        }
        var thumbnails = new Dictionary<string, byte[]>();
        var byId = samples.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var top in items.OrderByDescending(i => i.Loss).Take(TopLossCount))
            if (byId[top.Id].Image is { } image) thumbnails[top.Id] = ImageTensorizer.ToThumbnailPng(image, 192);
        return new EvaluationResult { Classes = classes, Items = items, Thumbnails = thumbnails, Temperature = temperature };
    }
}
