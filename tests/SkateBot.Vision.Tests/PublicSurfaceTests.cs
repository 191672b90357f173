using SkateBot.Vision.Inference;

namespace SkateBot.Vision.Tests;

/// <summary>SkateBot.Vision's public surface is what its callers need: the network, its ONNX import and the torch device are internal.</summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void ExportedTypes_NoneFromModelNetworkOrPretrained()
    {
        var exported = typeof(SkateClassifier).Assembly.GetExportedTypes();

        Assert.Empty(exported.Where(t => t.Namespace is "SkateBot.Vision.Model" or "SkateBot.Vision.Network" or "SkateBot.Vision.Pretrained")
            .Select(t => t.FullName));
        Assert.DoesNotContain(exported, t => t.Name is "TorchDevices" or "Evaluator" or "SkateNetOnnxExporter" or "FineTuner");
    }

    [Fact]
    public void SkateClassifierAndCheckpointFile_PublicMembers_TakeAndGiveNoTorchSharpTypes()
    {
        foreach (var type in new[] { typeof(SkateClassifier), typeof(SkateBot.Vision.Checkpoints.CheckpointFile), typeof(SkateBot.Vision.Evaluation.EvaluationJob), typeof(SkateBot.Vision.Devices.ComputeDevice) })
        {
            var leaks = type.GetMembers(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static)
                .SelectMany(m => m switch
                {
                    System.Reflection.MethodInfo method => method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType).Select(t => (m.Name, t)),
                    System.Reflection.PropertyInfo property => [(m.Name, property.PropertyType)],
                    _ => [],
                })
                .Where(x => x.t.Assembly.GetName().Name == "TorchSharp" || x.t.GenericTypeArguments.Any(a => a.Assembly.GetName().Name == "TorchSharp"))
                .Select(x => $"{type.Name}.{x.Name}: {x.t}");
            Assert.Empty(leaks);
        }
    }
}
