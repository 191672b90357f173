using SkateBot.Vision.Devices;
using TorchSharp;

namespace SkateBot.Bench;

/// <summary>
/// The torch device the forward benchmarks use: the same <c>Model:Device</c> setting as the bot
/// (<c>auto</c> by default; set <c>SKATEBOT_Model__Device=cpu|cuda</c> to force one), resolved once.
/// </summary>
public static class BenchDevice
{
    public const string EnvironmentVariable = "SKATEBOT_Model__Device";

    private static readonly Lazy<torch.Device> Resolved =
        new(() => TorchDevices.Resolve(Environment.GetEnvironmentVariable(EnvironmentVariable)));

    public static torch.Device Device => Resolved.Value;

    public static bool IsCuda => Device.type == DeviceType.CUDA;

    /// <summary>CUDA kernels run asynchronously; waiting for them makes a timing cover the work, not just its launch.</summary>
    public static void Synchronize()
    {
        if (IsCuda) torch.cuda.synchronize();
    }

    public static string Describe() =>
        $"{TorchDevices.Describe(Device)}, intra-op threads {torch.get_num_threads()} (TorchSharp and ONNX Runtime)";
}
