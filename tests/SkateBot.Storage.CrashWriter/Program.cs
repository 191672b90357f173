using System.Globalization;
using SkateBot.Storage;

// Usage: votes <dataDirectory> <imageSha> <userPrefix> <count>
// Casts <count> votes on one (already stored) image, cycling through 7 users so that most votes supersede the
// user's previous one, re-sending some votes to exercise the idempotent path, and reading every 10th step.
// After each Vote() returns it prints "ack <i> <voteId> <userId> <class>" and flushes, then the caller may
// kill the process at any moment. Prints "done <count>" at the end.
if (args.Length != 5 || args[0] != "votes" || !int.TryParse(args[4], CultureInfo.InvariantCulture, out var count))
{
    Console.Error.WriteLine("usage: votes <dataDirectory> <imageSha> <userPrefix> <count>");
    return 2;
}

var (directory, sha, prefix) = (args[1], args[2], args[3]);
using var db = SkateDatabase.Open(directory);
var stdout = Console.Out;
for (var i = 0; i < count; i++)
{
    var user = prefix + (i % 7).ToString(CultureInfo.InvariantCulture);
    var className = (i / 7 % 2 == 0) ? "aggressive" : "inline";
    var vote = db.Labels.Vote(sha, className, user, isOperator: false, where: "crashwriter");
    if (i % 5 == 0)
    {
        var again = db.Labels.Vote(sha, className, user, isOperator: false, where: "crashwriter");
        if (again.Id != vote.Id)
        {
            Console.Error.WriteLine($"resent vote created a new vote: {vote.Id} then {again.Id}");
            return 3;
        }
    }

    stdout.WriteLine($"ack {i} {vote.Id} {user} {className}");
    stdout.Flush();
    if (i % 10 == 0)
    {
        _ = db.Labels.VotesFor(sha);
    }
}

stdout.WriteLine($"done {count}");
stdout.Flush();
return 0;
