using System.Text;
using System.Text.Json;
using SkateBot.Testing.Fuzzing;
using Xunit.Abstractions;

namespace SkateBot.Reddit.Tests.Models;

/// <summary>
/// Fuzzes the listing and submission parsers (<see cref="RedditJson"/>) with seeded mutations of the recorded Reddit
/// responses in ../shared/protocols/reddit: the only exception that may come out is <see cref="RedditApiException"/>,
/// with a reason, and accepted posts keep their non-nullable promises. 100 mutations per file here;
/// SKATEBOT_FUZZ_ITERATIONS=N runs N. A failure names the file and seed to replay.
/// </summary>
public sealed class ListingParserFuzzTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void ParseListingOrSubmission_MutatedRecordedResponses_AcceptedOrRejectedWithAReason()
    {
        Skip.If(Fixtures.CorpusDirectory is null, Fixtures.NoCorpus);
        var iterations = JsonMutator.Iterations(100);
        var bodies = Directory.GetFiles(Fixtures.CorpusDirectory!, "*.json").Where(f => !f.EndsWith(".meta.json", StringComparison.Ordinal)).Order()
            .Select(f => (File: Path.GetFileName(f), Bytes: JsonMutator.JsonBytes(f)))
            .Where(b => b.Bytes is not null && IsListing(b.Bytes)).Select(b => (b.File, b.Bytes!)).ToList();
        Assert.True(bodies.Count >= 8, $"only {bodies.Count} listing bodies in the corpus");
        var tally = FuzzRun.Run(bodies, iterations, (byte[] body, out string? violation) => Read(body, body[0] == (byte)'[', out violation));
        output.WriteLine(tally.ToString());
        Assert.True(tally.Failures.Count == 0, string.Join("\n", tally.Failures.Take(20)));
        Assert.True(tally.Rejected > 0 && tally.Accepted > 0, "the mutations neither broke nor kept any body");
    }

    private static string? Read(byte[] body, bool submission, out string? violation)
    {
        violation = null;
        try
        {
            var text = Encoding.UTF8.GetString(body);
            IEnumerable<Post> posts;
            if (submission)
                posts = RedditJson.ParseSubmission(text) is { } one ? [one] : [];
            else
            {
                var listing = RedditJson.ParsePostListing(text);
                if (listing.Skipped.Any(string.IsNullOrWhiteSpace)) return " ";
                posts = listing.Children;
            }
            foreach (var post in posts)
                violation ??= NullabilityCheck.FirstViolation(post, typeof(Post).Namespace!);
            return null;
        }
        catch (RedditApiException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public void ParsePostListing_OneChildDoesNotParse_TheOthersKeptAndTheReasonGiven()
    {
        const string json = """
            {"kind": "Listing", "data": {"after": "t3_c", "before": null, "children": [
              {"kind": "t3", "data": {"id": "a", "name": "t3_a", "title": "fine", "url": "https://i.redd.it/a.jpg"}},
              {"kind": "t3", "data": {"id": "b", "name": "t3_b", "title": {"not": "a string"}}},
              {"kind": "t3", "data": null},
              "not even an object",
              {"kind": 3, "data": {}},
              {"kind": "t3", "data": {"id": "c", "name": "t3_c", "title": "also fine"}}]}}
            """;

        var listing = RedditJson.ParsePostListing(json);

        Assert.Equal(["t3_a", "t3_c"], listing.Children.Select(p => p.Name));
        Assert.Equal(2, listing.Skipped.Count);
        Assert.StartsWith("child 1 (t3_b): ", listing.Skipped[0], StringComparison.Ordinal);
        Assert.Contains("title", listing.Skipped[0], StringComparison.Ordinal);
        Assert.StartsWith("child 2 (no name): ", listing.Skipped[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind": 5, "data": {}}""")]
    [InlineData("""{"kind": "Listing", "data": []}""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"name": null}}]}}""")]
    public void ParseSubmission_Malformed_RedditApiExceptionWithAReason(string json)
    {
        var error = Assert.Throws<RedditApiException>(() => RedditJson.ParseSubmission(json));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    private static bool IsListing(byte[] bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() > 0 ? doc.RootElement[0] : doc.RootElement;
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "Listing";
    }
}
