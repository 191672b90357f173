using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SkateBot.Vision.Tests.Pretrained;

/// <summary>
/// The reference pipeline: ResNetPreprocess.onnx then ResNet18.onnx in ONNX Runtime, each fed at the input name
/// and shape its own metadata declares, as ML.NET's DnnImageFeaturizer chains them.
/// </summary>
internal sealed class OrtReference : IDisposable
{
    private readonly InferenceSession preprocess = new(OnnxFiles.Preprocess);
    private readonly InferenceSession network = new(OnnxFiles.ResNet18);

    /// <summary>Features for one planar RGB 0..1 image; the preprocess model wants pixel values 0..255.</summary>
    public float[] Features(float[] rgb01)
    {
        float[] pixels = rgb01.Select(v => v * 255f).ToArray();
        float[] prepared = RunSingle(preprocess, pixels);
        return RunSingle(network, prepared);
    }

    public void Dispose()
    {
        preprocess.Dispose();
        network.Dispose();
    }

    private static float[] RunSingle(InferenceSession session, float[] data)
    {
        var (name, meta) = session.InputMetadata.Single();
        var dims = meta.Dimensions;
        if (dims.Aggregate(1L, (a, d) => a * d) != data.Length)
        {
            throw new InvalidOperationException($"input '{name}' is [{string.Join(",", dims)}], not {data.Length} values");
        }

        var input = NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data, dims));
        using var results = session.Run([input]);
        return results.Single().AsTensor<float>().ToArray();
    }
}
