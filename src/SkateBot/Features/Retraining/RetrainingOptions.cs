using System.ComponentModel.DataAnnotations;

namespace SkateBot.Features.Retraining;

public sealed class RetrainingOptions
{
    public const string Section = "Retraining";

    /// <summary>Cron expression (5 fields, UTC) for scheduled retraining; empty disables the schedule.</summary>
    public string Schedule { get; set; } = "0 3 * * *";

    /// <summary>Retrain when this many labels were added or changed since the last training; 0 disables the threshold.</summary>
    [Range(0, 1_000_000)] public int NewLabelThreshold { get; set; } = 20;

    /// <summary>Loss weight of images the model got wrong and people corrected.</summary>
    [Range(1.0, 100.0)] public double MisclassifiedWeight { get; set; } = 3.0;

    /// <summary>The challenger may be this much worse (absolute error rate) on the held-out set and still be promoted.</summary>
    [Range(0.0, 1.0)] public double PromotionTolerance { get; set; } = 0.0;

    /// <summary>Share of the corrected (previously misclassified) images the challenger must get right.</summary>
    [Range(0.0, 1.0)] public double MinCorrectedAccuracy { get; set; } = 0.5;

    /// <summary>Percent of base images and of newly labelled images (chosen by hash) kept out of training.</summary>
    [Range(1, 90)] public int HoldoutSharePercent { get; set; } = 20;

    /// <summary>
    /// A labelled held-out image joins the trusted part of the held-out set (class frozen) once its label has resolved to
    /// the same class for this long, unless two people confirmed it sooner (see <see cref="LabelTrust"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "Retraining:TrustAfter must be between 01:00:00 and 365.00:00:00.")]
    public TimeSpan TrustAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>A held-out part (trusted, labelled) with fewer images is reported but does not decide promotion.</summary>
    [Range(1, 10000, ErrorMessage = "Retraining:MinPartImages must be between 1 and 10000.")]
    public int MinPartImages { get; set; } = 5;

    /// <summary>Votes a non-operator majority needs before a label counts.</summary>
    [Range(1, 100)] public int MinVotes { get; set; } = 1;

    /// <summary>How often the threshold is checked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Retraining:CheckInterval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// What a challenger is trained from: <c>champion</c> (fine-tunes the serving model's weights) or <c>imagenet</c> (the
    /// pretrained body and a new head, as <c>train</c> does, on the base folders plus every label).
    /// </summary>
    [RegularExpression("^(champion|imagenet)$", ErrorMessage = "Retraining:StartFrom must be champion or imagenet.")]
    public string StartFrom { get; set; } = StartFromChampion;

    public const string StartFromChampion = "champion", StartFromImageNet = "imagenet";

    /// <summary>
    /// After a new champion starts serving, compute the next retrain's frozen-body features while the service is idle
    /// (at <c>Model:TrainingNice</c>; a retrain that starts meanwhile takes over), so that retrain forwards only the photos
    /// labelled since instead of every photo through the new body.
    /// </summary>
    public bool PrecomputeFeatures { get; set; } = true;

    /// <summary>Epochs for a retrain (fine-tuning the champion needs fewer than a first training).</summary>
    [Range(0, 100)] public int FrozenEpochs { get; set; } = 2;
    [Range(0, 100)] public int UnfrozenEpochs { get; set; } = 2;
}
