using static TorchSharp.torch;

namespace SkateBot.Vision.Training;

internal static class WeightedLoss
{
    /// <summary>Cross-entropy where each example counts with its weight (class balance × correction emphasis).</summary>
    public static Tensor Compute(Tensor logits, Tensor labels, Tensor weights)
    {
        var perExample = nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);
        return (perExample * weights).sum() / weights.sum().clamp_min(1e-8);
    }
}

internal static class ValidationMetrics
{
    /// <summary>Unweighted mean cross-entropy and error rate, as fast.ai reports them.</summary>
    public static (double Loss, double ErrorRate) FromLogits(Func<Tensor> logits, Tensor labels)
    {
        if (labels.shape[0] == 0) return (double.NaN, double.NaN);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var output = logits();
        var loss = nn.functional.cross_entropy(output, labels).item<float>();
        var wrong = output.argmax(1).ne(labels).sum().item<long>();
        return (loss, (double)wrong / labels.shape[0]);
    }
}
