using SkateBot.Storage;

namespace SkateBot.Features.Simulation;

/// <summary>
/// The people who react to the bot's answers: <c>voters</c> honest users, each voting a wrong class with a small chance,
/// and optionally one contrarian who always votes a wrong class. Their votes go through the real label store, so the real
/// resolution rule (one current vote per user, strict majority) decides.
/// </summary>
public sealed class SimulatedPeople(SimulationSettings settings, Random rng)
{
    public int VotesCast { get; private set; }

    public void Label(SkateDatabase db, string sha, string truth, IReadOnlyList<string> classes)
    {
        var wrongClasses = classes.Where(c => c != truth).ToList();
        for (var v = 0; v < settings.Voters; v++)
        {
            var choice = wrongClasses.Count > 0 && rng.NextDouble() < settings.WrongVoteShare ? wrongClasses[rng.Next(wrongClasses.Count)] : truth;
            Vote(db, sha, choice, $"sim-user-{v + 1}");
        }
        if (settings.Contrarian && wrongClasses.Count > 0)
            Vote(db, sha, wrongClasses[rng.Next(wrongClasses.Count)], "sim-contrarian");
    }

    private void Vote(SkateDatabase db, string sha, string className, string user)
    {
        db.Labels.Vote(sha, className, user, isOperator: false, where: "simulate");
        VotesCast++;
    }
}
