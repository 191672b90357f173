using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace SkateBot.Vision.Checkpoints;

/// <summary>
/// One file per model version: magic, format version, JSON info, the input convention, the body geometry (block counts,
/// pads and epsilons read from the imported ONNX graph), the weights, and a SHA-256 of
/// everything before it, so truncation and corruption are detected before any byte reaches libtorch.
/// Written to a temporary file and renamed, so a crash never leaves half a checkpoint under the real name.
/// </summary>
public static class CheckpointFile
{
    public const string Extension = ".skmodel";
    private static readonly byte[] Magic = "SKBTCKPT"u8.ToArray();
    private const int FormatVersion = 1;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    internal static void Save(string path, SkateNet model, InputConvention convention, CheckpointInfo info)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            WriteBlock(writer, JsonSerializer.SerializeToUtf8Bytes(info with { InputConvention = convention.Name }, Json));
            using var conv = new MemoryStream();
            convention.WriteTo(conv);
            WriteBlock(writer, conv.ToArray());
            using var geometry = new MemoryStream();
            using (var g = new BinaryWriter(geometry, Encoding.UTF8, leaveOpen: true)) model.Body.Geometry.WriteTo(g);
            WriteBlock(writer, geometry.ToArray());
            using var weights = new MemoryStream();
            model.save(weights);
            WriteBlock(writer, weights.ToArray());
        }
        var hash = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        var temp = path + ".tmp-" + Environment.ProcessId;
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(body.GetBuffer(), 0, (int)body.Length);
            file.Write(hash);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public static CheckpointInfo ReadInfo(string path) => Read(path).Info;

    /// <summary>
    /// The verified file's info, input convention and content hash, without building the network: what serving from a
    /// cached ONNX export needs. Throws <see cref="CheckpointException"/> for any unusable file, as <see cref="Load"/> does.
    /// </summary>
    internal static (CheckpointInfo Info, InputConvention Convention, string Hash) ReadHeader(string path)
    {
        var (info, conventionBytes, _, _, hash) = Read(path);
        if (info.Architecture != SkateNet.Architecture)
            throw new CheckpointException(path, $"architecture '{info.Architecture}' is not '{SkateNet.Architecture}'; retrain or use a matching SkateBot version.");
        try
        {
            return (info, InputConvention.ReadFrom(new MemoryStream(conventionBytes)), hash);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new CheckpointException(path, "the input convention is unreadable: " + ex.Message, ex);
        }
    }

    /// <summary>Loads the model onto <paramref name="device"/>. Throws <see cref="CheckpointException"/> for any unusable file.</summary>
    internal static (SkateNet Model, InputConvention Convention, CheckpointInfo Info) Load(string path, Device device)
    {
        var (model, convention, info, _) = LoadWithHash(path, device);
        return (model, convention, info);
    }

    /// <summary>As <see cref="Load"/>, plus the SHA-256 of its content (hex, as stored at its end and verified), which keys caches derived from it (the ONNX export).</summary>
    internal static (SkateNet Model, InputConvention Convention, CheckpointInfo Info, string Hash) LoadWithHash(string path, Device device)
    {
        var (info, conventionBytes, geometryBytes, weights, hash) = Read(path);
        if (info.Architecture != SkateNet.Architecture)
            throw new CheckpointException(path, $"architecture '{info.Architecture}' is not '{SkateNet.Architecture}'; retrain or use a matching SkateBot version.");
        InputConvention convention;
        ResNet18Geometry geometry;
        try
        {
            convention = InputConvention.ReadFrom(new MemoryStream(conventionBytes));
            using var g = new BinaryReader(new MemoryStream(geometryBytes));
            geometry = ResNet18Geometry.ReadFrom(g);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new CheckpointException(path, "the input convention or body geometry is unreadable: " + ex.Message, ex);
        }
        var model = new SkateNet(new ResNet18Backbone(geometry), info.Classes.Count);
        try
        {
            model.load(new MemoryStream(weights), strict: true);
        }
        catch (Exception ex)
        {
            model.Dispose();
            throw new CheckpointException(path, "the weights do not fit this architecture: " + ex.Message, ex);
        }
        model.to(device);
        model.eval();
        return (model, convention, info, hash);
    }

    private static (CheckpointInfo Info, byte[] Convention, byte[] Geometry, byte[] Weights, string Hash) Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        { throw new CheckpointException(path, "cannot be read: " + ex.Message, ex); }
        if (bytes.Length < Magic.Length + 4 + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException(path, "not a SkateBot checkpoint (bad header).");
        var content = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(content).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new CheckpointException(path, "checksum mismatch: the file is truncated or corrupt.");
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, content.Length), Encoding.UTF8);
            reader.ReadBytes(Magic.Length);
            var format = reader.ReadInt32();
            if (format != FormatVersion) throw new CheckpointException(path, $"format version {format} is not supported (expected {FormatVersion}).");
            var info = JsonSerializer.Deserialize<CheckpointInfo>(ReadBlock(reader), Json)
                ?? throw new CheckpointException(path, "empty info block.");
            return (info, ReadBlock(reader), ReadBlock(reader), ReadBlock(reader), Convert.ToHexStringLower(bytes.AsSpan(bytes.Length - 32)));
        }
        catch (Exception ex) when (ex is EndOfStreamException or JsonException or InvalidDataException)
        {
            throw new CheckpointException(path, "the content is malformed: " + ex.Message, ex);
        }
    }

    private static void WriteBlock(BinaryWriter writer, byte[] block)
    {
        writer.Write((long)block.Length);
        writer.Write(block);
    }

    private static byte[] ReadBlock(BinaryReader reader)
    {
        var length = reader.ReadInt64();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"block length {length} runs past the end of the file");
        return reader.ReadBytes((int)length);
    }
}
