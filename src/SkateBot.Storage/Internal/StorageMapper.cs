using LiteDB;

namespace SkateBot.Storage;

/// <summary>The BSON mapping of the stored records (a private mapper: never <see cref="BsonMapper.Global"/>).</summary>
internal static class StorageMapper
{
    public static BsonMapper Create()
    {
        var mapper = new BsonMapper();

        // Stored as a UTC BSON date so that range queries and indexes on times work; BSON dates have
        // millisecond precision, so times read back are truncated to the millisecond.
        mapper.RegisterType(
            serialize: value => new BsonValue(value.UtcDateTime),
            deserialize: bson => new DateTimeOffset(bson.AsDateTime.ToUniversalTime(), TimeSpan.Zero));

        mapper.Entity<ImageRecord>().Id(x => x.Sha256, autoId: false);
        mapper.Entity<ModelVersionRecord>().Id(x => x.Version, autoId: false);
        mapper.Entity<MessageLink>().Id(x => x.Id, autoId: false);
        mapper.Entity<SeenPost>().Id(x => x.Id, autoId: false);
        mapper.Entity<TrustedLabel>().Id(x => x.ImageSha, autoId: false);
        return mapper;
    }

    /// <summary>A time as it is stored, for hand-written range queries.</summary>
    public static BsonValue Time(DateTimeOffset value) => new(value.UtcDateTime);
}
