using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkateBot.Testing.Fuzzing;

/// <summary>
/// Seeded mutations of a real JSON payload, for fuzzing the protocol parsers: byte flips and truncations of the text,
/// and, on the parsed tree, type swaps, deleted fields, nulls, huge and odd numbers, deep nesting and duplicated keys.
/// The same seed always gives the same mutation, so a failure names its seed and can be replayed.
/// </summary>
public static class JsonMutator
{
    /// <summary>Iterations per corpus file: SKATEBOT_FUZZ_ITERATIONS when set (a longer run), else <paramref name="ci"/>.</summary>
    public static int Iterations(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable("SKATEBOT_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : ci;

    public static (string Kind, byte[] Bytes) Mutate(byte[] original, int seed)
    {
        var random = new Random(seed);
        var kind = random.Next(9);
        return kind switch
        {
            0 => ("byte flip", FlipBytes(original, random)),
            1 => ("truncation", original[..random.Next(original.Length)]),
            _ => TreeMutation(original, random, kind),
        };
    }

    private static byte[] FlipBytes(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        for (var i = random.Next(1, 4); i > 0 && bytes.Length > 0; i--)
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        return bytes;
    }

    private static (string, byte[]) TreeMutation(byte[] original, Random random, int kind)
    {
        var root = JsonNode.Parse(original)!;
        var nodes = new List<(JsonNode? Parent, string? Key, int Index)>();
        Collect(root, nodes);
        if (nodes.Count == 0) return ("truncation", original[..(original.Length / 2)]);
        var (parent, key, index) = nodes[random.Next(nodes.Count)];
        string name;
        switch (kind)
        {
            case 2:
                name = "type swap";
                Replace(parent, key, index, SwapType(Get(parent, key, index), random));
                break;
            case 3 when key is not null:
                name = "deleted field";
                parent!.AsObject().Remove(key);
                break;
            case 4:
                name = "null";
                Replace(parent, key, index, null);
                break;
            case 5:
                name = "huge number";
                Replace(parent, key, index, JsonNode.Parse(HugeNumbers[random.Next(HugeNumbers.Length)]));
                break;
            case 6:
                name = "deep nesting";
                Replace(parent, key, index, Nest(Get(parent, key, index)?.DeepClone(), random.Next(2) == 0 ? 70 : random.Next(2, 5000), random));
                break;
            case 7:
                name = "odd string";
                Replace(parent, key, index, JsonValue.Create(OddStrings[random.Next(OddStrings.Length)]));
                break;
            default:
                name = "type swap";
                Replace(parent, key, index, SwapType(Get(parent, key, index), random));
                break;
        }
        var text = root.ToJsonString();
        // Deep nesting beyond what JsonNode itself writes is spliced in as text.
        return (name, Encoding.UTF8.GetBytes(text.Replace("\"__deep__\"", DeepText, StringComparison.Ordinal)));
    }

    private static readonly string[] HugeNumbers =
        ["1e400", "-1e400", "99999999999999999999999999999999", "-9223372036854775809", "18446744073709551616", "1.5", "-1", "0", "2147483648", "4294967296"];

    private static readonly string[] OddStrings =
        ["", " ", "\u0000", "\uFFFD", "@everyone", "<@&123>", "../../etc/passwd", "https://169.254.169.254/", new string('x', 100_000), "1e400", "true", "null", "\uD83D\uDE00"];

    private static string DeepText { get; } = new string('[', 100_000) + new string(']', 100_000);

    private static JsonNode? Nest(JsonNode? inner, int depth, Random random)
    {
        if (depth > 1000) return JsonValue.Create("__deep__");
        var node = inner;
        for (var i = 0; i < depth; i++)
            node = random.Next(2) == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        return node;
    }

    private static JsonNode? SwapType(JsonNode? node, Random random)
    {
        JsonNode?[] choices =
        [
            JsonValue.Create("text"), JsonValue.Create(12345), JsonValue.Create(true), null, new JsonObject(), new JsonArray(),
            new JsonArray(JsonValue.Create(1), JsonValue.Create("a")), new JsonObject { ["id"] = 1 },
        ];
        var kind = node?.GetValueKind();
        var pick = choices[random.Next(choices.Length)];
        return pick?.GetValueKind() == kind ? choices[(Array.IndexOf(choices, pick) + 1) % choices.Length] : pick;
    }

    private static void Collect(JsonNode? node, List<(JsonNode? Parent, string? Key, int Index)> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    into.Add((o, k, -1));
                    Collect(v, into);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    into.Add((a, null, i));
                    Collect(a[i], into);
                }
                break;
        }
    }

    private static JsonNode? Get(JsonNode? parent, string? key, int index) =>
        key is not null ? parent![key] : parent!.AsArray()[index];

    private static void Replace(JsonNode? parent, string? key, int index, JsonNode? value)
    {
        if (key is not null) parent!.AsObject()[key] = value;
        else parent!.AsArray()[index] = value;
    }

    /// <summary>Reads a corpus file's bytes, or null for one that is not JSON (HTML error pages, empty bodies).</summary>
    public static byte[]? JsonBytes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            using var _ = JsonDocument.Parse(bytes);
            return bytes;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
