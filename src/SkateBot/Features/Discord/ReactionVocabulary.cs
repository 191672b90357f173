using SkateBot.Storage;

namespace SkateBot.Features.Discord;

/// <summary>
/// Which reactions the bot offers and what each means. With two classes a reply offers ✅ (the prediction is right) and
/// ❌ (it is the other class); with more classes, and on review posts, one numbered reaction per class (1️⃣ = first class…).
/// ✅ and ❌ keep their meaning on any message the bot stored a link for.
/// </summary>
public sealed class ReactionVocabulary(string rightEmoji, string wrongEmoji)
{
    public static readonly string[] Numbers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"];

    public string Right => rightEmoji;
    public string Wrong => wrongEmoji;

    /// <summary>The reactions the bot adds under a reply (<paramref name="perClass"/>: one per class, as on review posts).</summary>
    public IReadOnlyList<string> Offered(IReadOnlyList<string> classes, bool perClass)
    {
        if (classes.Count > Numbers.Length) throw new ArgumentException($"At most {Numbers.Length} classes can be offered as reactions.");
        return !perClass && classes.Count == 2 ? [rightEmoji, wrongEmoji] : Numbers.Take(classes.Count).ToArray();
    }

    /// <summary>The class a reaction votes for on the image <paramref name="item"/>, or null when it means nothing.</summary>
    public string? ClassFor(string emoji, MessageLinkItem item)
    {
        // ✅/❌ judge a named class; on an "unsure" answer they say nothing about which class it is.
        var named = item.Classes.Contains(item.PredictedClass);
        if (emoji == rightEmoji) return named ? item.PredictedClass : null;
        if (emoji == wrongEmoji)
            return named && item.Classes.Length == 2 ? item.Classes.First(c => c != item.PredictedClass) : null;
        var index = Array.IndexOf(Numbers, emoji);
        return index >= 0 && index < item.Classes.Length ? item.Classes[index] : null;
    }

    /// <summary>Whether a reaction could vote on some linked message (✅, ❌ or a number), whatever its classes.</summary>
    public bool CouldVote(string emoji) => emoji == rightEmoji || emoji == wrongEmoji || Array.IndexOf(Numbers, emoji) >= 0;

    /// <summary>The legend shown in a message that offers numbered reactions.</summary>
    public static string Legend(IReadOnlyList<string> classes) =>
        string.Join("  ", classes.Select((c, i) => $"{Numbers[i]} {Pretty(c)}"));

    public static string Pretty(string className) => className switch
    {
        Vision.Inference.Answering.OtherClass => "not an inline skate",
        Vision.Inference.Answering.Unsure => "not sure",
        _ => className.Replace('_', ' '),
    };
}
