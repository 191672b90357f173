using System.CommandLine;

namespace SkateBot.Cli;

/// <summary><c>--first-view-above</c> for <c>predict</c> and <c>eval</c>: the first-view rule (<see cref="Vision.Inference.ViewCascade"/>)
/// at another threshold than the checkpoint's, to compare answers and cost.</summary>
internal static class FirstViewOption
{
    public static Option<double?> Create()
    {
        var option = new Option<double?>("--first-view-above")
        {
            Description = "Let the first view (the whole photo) decide a several-view photo at this calibrated probability instead of the model's own threshold (1: always average every view).",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValue(option) is { } v && !(v is > 0 and <= 1)) r.AddError("--first-view-above must be above 0 and at most 1.");
        });
        return option;
    }
}
