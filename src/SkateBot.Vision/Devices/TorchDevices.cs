using TorchSharp;

namespace SkateBot.Vision.Devices;

/// <summary>Chooses the torch device once, from the <c>Model:Device</c> setting (<c>auto</c>, <c>cpu</c>, <c>cuda</c>).</summary>
internal static class TorchDevices
{
    public static torch.Device Resolve(string? setting)
    {
        var value = (setting ?? "auto").Trim().ToLowerInvariant();
        return value switch
        {
            "auto" or "" => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
            "cpu" => torch.CPU,
            "cuda" => torch.cuda.is_available()
                ? torch.CUDA
                : throw new NotSupportedException(
                    "Model:Device is 'cuda' but CUDA is not available: this build uses the CPU libtorch package " +
                    "(build with -p:TorchBackend=cuda on a GPU host, see README), or set Model:Device to 'auto' or 'cpu'."),
            _ => throw new ArgumentException($"Model:Device must be 'auto', 'cpu' or 'cuda', not '{setting}'.", nameof(setting)),
        };
    }

    /// <summary>Human-readable description for logs and the CLI.</summary>
    public static string Describe(torch.Device device) =>
        device.type == DeviceType.CUDA ? $"cuda:{device.index} ({torch.cuda.device_count()} device(s))" : $"cpu ({Environment.ProcessorCount} cores)";
}
