namespace SkateBot.Vision.Devices;

/// <summary>
/// Where models run, chosen once from the <c>Model:Device</c> setting (<c>auto</c>, <c>cpu</c>, <c>cuda</c>) and injected
/// (ML.NET's TorchSharp trainer does the same). The Vision-owned face of the setting: callers outside SkateBot.Vision pass
/// this, never a TorchSharp type.
/// </summary>
public sealed class ComputeDevice
{
    private ComputeDevice(TorchSharp.torch.Device torch) => Torch = torch;

    internal TorchSharp.torch.Device Torch { get; }

    public static ComputeDevice Cpu { get; } = new(TorchSharp.torch.CPU);

    /// <exception cref="NotSupportedException"><c>cuda</c> without CUDA in this build or on this machine.</exception>
    /// <exception cref="ArgumentException">Not one of the three settings.</exception>
    public static ComputeDevice Resolve(string? setting) => new(TorchDevices.Resolve(setting));

    public bool IsCuda => Torch.type == TorchSharp.DeviceType.CUDA;

    /// <summary>Human-readable, for logs and the CLI.</summary>
    public override string ToString() => TorchDevices.Describe(Torch);
}
