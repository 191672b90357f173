namespace SkateBot.Testing.Fuzzing;

/// <summary>
/// What a parser under fuzz does with one payload: null when it accepts it, the reason when it rejects it the way it
/// promises to; <paramref name="violation"/> names a non-nullable property an accepted payload left null.
/// Any exception it lets out is a failure.
/// </summary>
public delegate string? FuzzReader(byte[] payload, out string? violation);

/// <summary>The tally of a <see cref="FuzzRun"/>: failures name the payload, the seed and the mutation, to replay.</summary>
public sealed record FuzzTally(int Payloads, int Iterations, int Accepted, int Rejected, IReadOnlyList<string> Failures)
{
    public override string ToString() =>
        $"{Payloads} payloads x {Iterations} mutations: {Accepted} accepted, {Rejected} rejected, {Failures.Count} failures";
}

/// <summary>
/// The loop every parser fuzz test runs: each recorded payload must be accepted as it is, then each of
/// <paramref name="iterations"/> seeded mutations (<see cref="JsonMutator"/>) must be accepted with its promises kept or
/// rejected with a reason.
/// </summary>
public static class FuzzRun
{
    public static FuzzTally Run(IReadOnlyList<(string Name, byte[] Payload)> payloads, int iterations, FuzzReader read)
    {
        var failures = new List<string>();
        int accepted = 0, rejected = 0;
        foreach (var (name, payload) in payloads)
        {
            var original = Attempt(read, payload, out var originalViolation);
            if (original is not null || originalViolation is not null)
                failures.Add($"{name}: the recorded payload itself was not accepted ({original ?? "null " + originalViolation})");
            for (var seed = 0; seed < iterations; seed++)
            {
                var (kind, mutated) = JsonMutator.Mutate(payload, seed);
                try
                {
                    var reason = read(mutated, out var violation);
                    if (violation is not null) failures.Add($"{name} seed {seed} ({kind}): accepted with null {violation}");
                    else if (reason is null) accepted++;
                    else if (string.IsNullOrWhiteSpace(reason)) failures.Add($"{name} seed {seed} ({kind}): rejected without a reason");
                    else rejected++;
                }
                catch (Exception e)
                {
                    failures.Add($"{name} seed {seed} ({kind}): {e.GetType().Name}: {e.Message}");
                }
            }
        }
        return new FuzzTally(payloads.Count, iterations, accepted, rejected, failures);
    }

    private static string? Attempt(FuzzReader read, byte[] payload, out string? violation)
    {
        try { return read(payload, out violation); }
        catch (Exception e) { violation = null; return $"{e.GetType().Name}: {e.Message}"; }
    }
}
