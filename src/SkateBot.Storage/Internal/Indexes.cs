using LiteDB;

namespace SkateBot.Storage;

/// <summary>Indexes for every field the stores filter or sort by. EnsureIndex is idempotent.</summary>
internal static class Indexes
{
    public static void Ensure(LiteDatabase db)
    {
        Add(db, Names.Predictions, nameof(PredictionRecord.ImageSha), nameof(PredictionRecord.At));
        Add(db, Names.Labels, nameof(LabelVote.ImageSha), nameof(LabelVote.UserId), nameof(LabelVote.At),
            nameof(LabelVote.Withdrawn), nameof(LabelVote.WithdrawnAt));
        Add(db, Names.Models, nameof(ModelVersionRecord.Status));
        Add(db, Names.ModelEvents, nameof(ModelEvent.At), nameof(ModelEvent.Version));
        Add(db, Names.ProcessedEvents, "At");
        Add(db, Names.Posts, nameof(SeenPost.At));
        Add(db, Names.MessageLinks, nameof(MessageLink.At));
        Add(db, Names.Outbox, nameof(OutgoingPost.At));
    }

    private static void Add(LiteDatabase db, string collection, params string[] fields)
    {
        foreach (var field in fields)
        {
            db.GetCollection(collection).EnsureIndex(field, "$." + field);
        }
    }
}
