using SkateBot.Vision.Imaging;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using SkateBot.Vision.Training;
using static TorchSharp.torch;

namespace SkateBot.Vision.Evaluation;

public static class Evaluator
{
    public const int TopLossCount = 9;

    /// <summary>Runs the model in eval mode over the samples and collects per-item probabilities and losses.</summary>
    public static EvaluationResult Evaluate(SkateNet model, InputConvention convention, Device device,
        IReadOnlyList<string> classes, IReadOnlyList<EvaluationSample> samples, int batchSize = 16, CancellationToken ct = default)
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
                var logits = model.forward(convention.Apply(TensorBatches.Stack(batch.Select(s => s.Input).ToList(), convention.Size, device)));
                var probs = nn.functional.softmax(logits, 1).cpu().data<float>().ToArray();
                for (var j = 0; j < batch.Count; j++)
                {
                    var p = probs.Skip(j * classes.Count).Take(classes.Count).Select(v => (double)v).ToArray();
                    var predicted = Array.IndexOf(p, p.Max());
                    var actual = batch[j].ClassIndex;
                    items.Add(new ItemPrediction(batch[j].Id, actual, predicted, p, -Math.Log(Math.Max(p[actual], 1e-12))));
                }
            }
        }
        var thumbnails = new Dictionary<string, byte[]>();
        var byId = samples.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var top in items.OrderByDescending(i => i.Loss).Take(TopLossCount))
            if (byId[top.Id].Image is { } image) thumbnails[top.Id] = ImageTensorizer.ToThumbnailPng(image, 192);
        return new EvaluationResult { Classes = classes, Items = items, Thumbnails = thumbnails };
    }
}
