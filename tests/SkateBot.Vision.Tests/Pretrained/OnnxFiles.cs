namespace SkateBot.Vision.Tests.Pretrained;

/// <summary>The ONNX models that Microsoft.ML.DnnImageFeaturizer.ResNet18 copies into the test output.</summary>
internal static class OnnxFiles
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    public static string ResNet18 => Path.Combine(Directory, "ResNet18Onnx", "ResNet18.onnx");

    public static string Preprocess => Path.Combine(Directory, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
}
