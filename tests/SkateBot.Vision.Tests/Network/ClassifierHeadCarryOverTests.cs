using SkateBot.Vision.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace SkateBot.Vision.Tests.Network;

/// <summary>
/// A retrain that adds a class (the first `other` labels) keeps what the champion's head knew: before, it started a fresh
/// head and answered most skates unsure for a round (issue 8's learning-curve round 1).
/// </summary>
public sealed class ClassifierHeadCarryOverTests
{
    [Fact]
    public void NewClass_SharedClassesAnswerAsBefore_NewClassStartsUnlikely()
    {
        torch.manual_seed(7);
        using var trained = new ClassifierHead(512, 2);
        Scramble(trained);
        using var carried = new ClassifierHead(512, 3);
        // The new list also reorders the known classes.
        carried.CarryOver(trained, ["inline_skates", "aggressive_skates"], ["aggressive_skates", "inline_skates", "other"]);
        trained.eval();
        carried.eval();

        using var scope = torch.NewDisposeScope();
        var features = torch.randn(32, 512);
        var before = trained.forward(features);
        var after = carried.forward(features);
        Assert.True(torch.allclose(after[.., 0], before[.., 1], rtol: 1e-5, atol: 1e-5), "aggressive_skates' logits moved");
        Assert.True(torch.allclose(after[.., 1], before[.., 0], rtol: 1e-5, atol: 1e-5), "inline_skates' logits moved");
        var lowestBias = trained.state_dict()["layers.fc2.bias"].min().item<float>();
        var otherLogit = after[.., 2];
        Assert.True(torch.allclose(otherLogit, torch.full_like(otherLogit, lowestBias - ClassifierHead.NewClassBiasMargin), atol: 1e-5),
            "a new class should start with a constant logit below every known bias");
    }

    [Fact]
    public void WithoutCarryOver_AFreshHeadAnswersDifferently()
    {
        // The check above can fail: a head that is not carried over gives other logits for the same features.
        torch.manual_seed(7);
        using var trained = new ClassifierHead(512, 2);
        Scramble(trained);
        using var fresh = new ClassifierHead(512, 3);
        trained.eval();
        fresh.eval();
        using var scope = torch.NewDisposeScope();
        var features = torch.randn(32, 512);
        Assert.False(torch.allclose(fresh.forward(features)[.., 0], trained.forward(features)[.., 1], rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void MismatchedClassList_IsRefused()
    {
        using var trained = new ClassifierHead(512, 2);
        using var carried = new ClassifierHead(512, 3);
        Assert.Throws<ArgumentException>(() => carried.CarryOver(trained, ["a", "b", "c"], ["a", "b", "other"]));
        Assert.Throws<ArgumentException>(() => carried.CarryOver(trained, ["a", "b"], ["a", "b"]));
    }

    /// <summary>Gives every parameter and running statistic non-default values, as training would.</summary>
    private static void Scramble(ClassifierHead head)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in head.state_dict())
        {
            if (tensor.dtype != ScalarType.Float32) continue;
            if (name.EndsWith("running_var", StringComparison.Ordinal)) tensor.copy_(torch.rand_like(tensor) + 0.5);
            else tensor.copy_(torch.randn_like(tensor) * 0.1);
        }
    }
}
