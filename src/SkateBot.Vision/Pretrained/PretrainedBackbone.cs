using System.Security.Cryptography;
using System.Text;
using SkateBot.Vision.Model;

namespace SkateBot.Vision.Pretrained;

/// <summary>
/// The pretrained ResNet18 for a models directory: imported from ONNX once (a few seconds), then loaded from
/// <c>&lt;modelsDirectory&gt;/pretrained/</c>. The cache is one file (geometry, input convention, TorchSharp state)
/// behind a SHA-256, written to a temp file and renamed, so a crash or a flipped byte means a re-import, never a
/// half-loaded model.
/// </summary>
internal static class PretrainedBackbone
{
    public const string CacheFolder = "pretrained";
    public const string CacheFileName = "resnet18-imagenet.skbackbone";
    private const uint Magic = 0x42503153; // "S1PB"
    private const int Version = 1;

    public static string DefaultOnnxDirectory => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    public static string CachePath(string modelsDirectory) => Path.Combine(modelsDirectory, CacheFolder, CacheFileName);

    public static ImportedBackbone LoadOrImport(string modelsDirectory, string? onnxDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDirectory);
        string cachePath = CachePath(modelsDirectory);
        if (File.Exists(cachePath) && TryLoad(cachePath) is { } cached)
        {
            return cached;
        }

        string onnx = onnxDirectory ?? DefaultOnnxDirectory;
        var imported = ResNet18Importer.Import(
            Path.Combine(onnx, "ResNet18Onnx", "ResNet18.onnx"),
            Path.Combine(onnx, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        Save(imported, cachePath);
        return imported;
    }

    private static void Save(ImportedBackbone backbone, string cachePath)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            backbone.Module.Geometry.WriteTo(writer);
            writer.Flush();
            backbone.Convention.WriteTo(payload);
            backbone.Module.save(writer);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(cachePath)!);
        string temp = $"{cachePath}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new BinaryWriter(file))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(payload.Length);
                writer.Write(SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
                writer.Write(payload.GetBuffer(), 0, (int)payload.Length);
                writer.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, cachePath, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static ImportedBackbone? TryLoad(string cachePath)
    {
        ResNet18Backbone? module = null;
        try
        {
            using var payload = new MemoryStream(ReadVerifiedPayload(cachePath), writable: false);
            using var reader = new BinaryReader(payload, Encoding.UTF8, leaveOpen: true);
            var geometry = ResNet18Geometry.ReadFrom(reader);
            var convention = InputConvention.ReadFrom(payload);
            module = new ResNet18Backbone(geometry);
            module.load(reader, strict: true);
            if (payload.Position != payload.Length)
            {
                throw new InvalidDataException("trailing bytes after the module state");
            }

            module.eval();
            return new ImportedBackbone(module, convention, FromCache: true);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            // A corrupt or outdated cache is rebuilt from the ONNX files, which are the source of truth.
            module?.Dispose();
            return null;
        }
    }

    private static byte[] ReadVerifiedPayload(string cachePath)
    {
        using var file = File.OpenRead(cachePath);
        using var reader = new BinaryReader(file);
        if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Version)
        {
            throw new InvalidDataException("not a pretrained backbone cache (bad magic or version)");
        }

        long length = reader.ReadInt64();
        byte[] hash = reader.ReadBytes(32);
        if (length < 0 || length != file.Length - file.Position)
        {
            throw new InvalidDataException($"cache declares {length} payload bytes but holds {file.Length - file.Position}");
        }

        byte[] payload = reader.ReadBytes((int)length);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(hash))
        {
            throw new InvalidDataException("cache checksum mismatch");
        }

        return payload;
    }
}
