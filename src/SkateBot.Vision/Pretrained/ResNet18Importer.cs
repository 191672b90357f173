using SkateBot.Vision.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SkateBot.Vision.Pretrained;

/// <summary>
/// Imports the ImageNet ResNet18 that ships with Microsoft.ML.DnnImageFeaturizer.ResNet18 (a CNTK 2.6 ONNX export)
/// into a <see cref="ResNet18Backbone"/>: geometry from the node attributes, every initializer copied onto exactly one
/// parameter or buffer after a shape check, and the input convention from the companion preprocessing model.
/// </summary>
internal static class ResNet18Importer
{
    public const string PackageName = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    private static readonly string[] NormSlots = ["weight", "bias", "running_mean", "running_var"];

    public static ImportedBackbone Import(string resnetOnnxPath, string preprocessOnnxPath)
    {
        RequireFile(resnetOnnxPath);
        RequireFile(preprocessOnnxPath);
        var network = OnnxModelReader.Read(resnetOnnxPath);
        var preprocess = OnnxModelReader.Read(preprocessOnnxPath);

        MappedResNet18 mapped;
        InputConvention convention;
        try
        {
            mapped = ResNet18GraphMapper.Map(network);
            convention = PreprocessConvention.Read(preprocess, mapped.InputSize);
        }
        catch (OnnxFormatException e)
        {
            throw new OnnxFormatException($"cannot import {resnetOnnxPath} with {preprocessOnnxPath}: {e.Message}", e);
        }

        var module = new ResNet18Backbone(mapped.Geometry);
        try
        {
            Assign(module, network, mapped);
        }
        catch
        {
            module.Dispose();
            throw;
        }

        module.eval();
        return new ImportedBackbone(module, convention);
    }

    internal static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"ONNX model not found: {path}. It ships in the NuGet package {PackageName} (tools/DnnImageModels), " +
                "whose build props copy it to <output>/DnnImageModels; reference that package or pass its folder.", path);
        }
    }

    private static void Assign(ResNet18Backbone module, OnnxModel network, MappedResNet18 mapped)
    {
        var targets = module.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(module.named_buffers())
            .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);

        void Copy(string target, string initializer)
        {
            if (!network.Initializers.TryGetValue(initializer, out var source))
            {
                throw new OnnxFormatException($"'{target}' should come from initializer '{initializer}', which does not exist");
            }

            if (!used.Add(initializer))
            {
                throw new OnnxFormatException($"initializer '{initializer}' would be mapped twice (again onto '{target}')");
            }

            var tensor = targets.GetValueOrDefault(target)
                ?? throw new InvalidOperationException($"module has no parameter or buffer '{target}'");
            if (!tensor.shape.SequenceEqual(source.Dims))
            {
                throw new OnnxFormatException(
                    $"initializer '{initializer}' has shape [{string.Join(",", source.Dims)}] " +
                    $"but '{target}' is [{string.Join(",", tensor.shape)}]");
            }

            using var value = torch.tensor(source.Data, tensor.shape);
            tensor.copy_(value);
            MarkAssigned(assigned, target);
        }

        using (torch.no_grad())
        {
            foreach (var (path, conv) in mapped.Convs)
            {
                Copy($"{path}.weight", conv.Inputs[1]);
            }

            foreach (var (path, norm) in mapped.Norms)
            {
                for (int slot = 0; slot < NormSlots.Length; slot++)
                {
                    Copy($"{path}.{NormSlots[slot]}", norm.Inputs[slot + 1]);
                }

                // Not part of ONNX; torch only uses it for momentum=None. The import is a fresh start: zero.
                targets[$"{path}.num_batches_tracked"].zero_();
                MarkAssigned(assigned, $"{path}.num_batches_tracked");
            }
        }

        var unassigned = targets.Keys.Except(assigned).ToList();
        var unused = network.Initializers.Keys.Except(used).ToList();
        if (unassigned.Count > 0 || unused.Count > 0)
        {
            throw new OnnxFormatException(
                $"import incomplete: module tensors never assigned [{string.Join(", ", unassigned)}], " +
                $"initializers never used [{string.Join(", ", unused)}]");
        }
    }

    private static void MarkAssigned(HashSet<string> assigned, string target)
    {
        if (!assigned.Add(target))
        {
            throw new InvalidOperationException($"'{target}' was assigned twice during the import");
        }
    }
}
