using LiteDB;

namespace SkateBot.Storage;

/// <summary>
/// Images stored once by the SHA-256 of their original bytes. The bytes kept are the caller's normalised
/// copy (resized, metadata stripped) in LiteDB file storage under the same id.
/// </summary>
public sealed class ImageStore
{
    private readonly DbGate _gate;
    private readonly TimeProvider _time;

    internal ImageStore(DbGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    /// <summary>
    /// Stores an image if it is new, or adds <paramref name="origin"/> to the existing record (an origin with
    /// the same kind and external id is not added twice). The bytes of an image already stored are kept.
    /// </summary>
    /// <param name="sha256">Hex SHA-256 of the ORIGINAL bytes (the image id).</param>
    /// <param name="normalizedJpeg">The normalised bytes to keep.</param>
    /// <param name="width">Width of the normalised image.</param>
    /// <param name="height">Height of the normalised image.</param>
    /// <param name="origin">Where it came from.</param>
    public ImageRecord Put(string sha256, byte[] normalizedJpeg, int width, int height, ImageOrigin origin)
    {
        var sha = Guard.Sha(sha256);
        ArgumentNullException.ThrowIfNull(normalizedJpeg);
        ArgumentOutOfRangeException.ThrowIfZero(normalizedJpeg.Length, nameof(normalizedJpeg));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        CheckOrigin(origin);

        return _gate.Run(db =>
        {
            var images = db.GetCollection<ImageRecord>(Names.Images);
            var existing = images.FindById(sha);
            if (existing is null)
            {
                using var stream = new MemoryStream(normalizedJpeg, writable: false);
                db.FileStorage.Upload(sha, sha + ".jpg", stream);
                var record = new ImageRecord
                {
                    Sha256 = sha,
                    Width = width,
                    Height = height,
                    ByteLength = normalizedJpeg.Length,
                    StoredAt = _time.GetUtcNow(),
                    Origins = [origin],
                };
                images.Insert(record);
                return record;
            }

            if (existing.Origins.Any(o => o.SameSourceAs(origin)))
            {
                return existing;
            }

            var updated = existing with { Origins = [.. existing.Origins, origin] };
            images.Update(updated);
            return updated;
        });
    }

    /// <summary>The record of an image, or null when it is not stored.</summary>
    public ImageRecord? Get(string sha256)
    {
        var sha = Guard.Sha(sha256);
        return _gate.Run(db => db.GetCollection<ImageRecord>(Names.Images).FindById(sha));
    }

    /// <summary>Whether an image is stored.</summary>
    public bool Exists(string sha256)
    {
        var sha = Guard.Sha(sha256);
        return _gate.Run(db => db.GetCollection<ImageRecord>(Names.Images).Exists(Query.EQ("_id", sha)));
    }

    /// <summary>The stored (normalised) bytes, or null when the image is not stored.</summary>
    public byte[]? ReadBytes(string sha256)
    {
        var sha = Guard.Sha(sha256);
        return _gate.Run(db =>
        {
            if (!db.FileStorage.Exists(sha))
            {
                return null;
            }

            using var buffer = new MemoryStream();
            db.FileStorage.Download(sha, buffer);
            return buffer.ToArray();
        });
    }

    /// <summary>All image ids, for building training sets and exports.</summary>
    public IReadOnlyList<string> AllShas() =>
        _gate.Run(db => db.GetCollection(Names.Images).Query().Select("_id").ToList().Select(d => d["_id"].AsString).ToList());

    private static void CheckOrigin(ImageOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (!ImageOrigin.KnownKinds.Contains(origin.Kind))
        {
            throw new ArgumentException(
                $"Unknown image origin kind '{origin.Kind}'; expected one of {string.Join(", ", ImageOrigin.KnownKinds)}.", nameof(origin));
        }
    }
}
