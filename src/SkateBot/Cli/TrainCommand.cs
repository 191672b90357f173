using System.CommandLine;
using SkateBot.Features.Datasets;
using SkateBot.Vision.Training;

namespace SkateBot.Cli;

/// <summary><c>train [folders…]</c>: fine-tune on image folders (one sub-folder per class), register the model, report.</summary>
public static class TrainCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var folders = new Argument<string[]>("folders") { Description = "Image folders with one sub-folder per class (default: Training:BaseFolders, else data/sample).", Arity = ArgumentArity.ZeroOrMore };
        var frozen = new Option<int?>("--frozen-epochs") { Description = "Epochs with the pretrained body frozen (head only)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs with everything unfrozen." };
        var batch = new Option<int?>("--batch-size") { Description = "Images per batch." };
        var lr = new Option<double?>("--lr") { Description = "Base learning rate (fast.ai fine_tune's base_lr)." };
        var seed = new Option<int?>("--seed") { Description = "Seed for the split, shuffling, augmentation and initialisation." };
        var validPct = new Option<double?>("--valid-fraction") { Description = "Share held out for validation (seeded) when there is no valid/ folder; 0: the share a retrain holds out to judge challengers (Retraining:HoldoutSharePercent)." };
        var views = new Option<string?>("--preprocessing") { Description = "How photos become input: pad, crop or multi (pad + centre + lower square, averaged)." };
        var composites = new Option<int?>("--composites") { Description = "Composites per studio shot (its skate pasted into wild photos); 0 disables." };
        var otherWeight = new Option<double?>("--other-weight") { Description = "Loss weight of the 'other' class relative to a skate class." };
        var unfreezeEarly = new Option<bool?>("--unfreeze-early") { Description = "Whether conv1 to layer2 train in the unfrozen epochs too (true, as fast.ai) or keep their ImageNet weights (false: faster, less memory)." };
        var cachedViews = new Option<int?>("--cached-views") { Description = "Augmented views per image whose frozen-body features are cached." };
        var minScale = new Option<double?>("--min-scale") { Description = "Smallest random crop, as a share of the photo's area (augmentation)." };
        var noPromote = new Option<bool>("--no-promote") { Description = "Register the model without making it the serving one." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var command = new Command("train", "Fine-tune the ImageNet ResNet18 on image folders, like fast.ai's fine_tune.")
        { folders, frozen, epochs, batch, lr, seed, validPct, views, composites, otherWeight, unfreezeEarly, cachedViews, minScale, noPromote, json };
        command.SetAction((parse, ct) =>
        {
            using var ctx = context();
            var t = ctx.Training;
            var options = new FineTuneOptions
            {
                FrozenEpochs = parse.GetValue(frozen) ?? t.FrozenEpochs,
                UnfrozenEpochs = parse.GetValue(epochs) ?? t.UnfrozenEpochs,
                BatchSize = parse.GetValue(batch) ?? t.BatchSize,
                LearningRate = parse.GetValue(lr) ?? t.LearningRate,
                Seed = parse.GetValue(seed) ?? t.Seed,
                Preprocessing = parse.GetValue(views) ?? t.Preprocessing,
                CompositesPerStudioImage = parse.GetValue(composites) ?? t.CompositesPerStudioImage,
                OtherClassWeight = parse.GetValue(otherWeight) ?? t.OtherClassWeight,
                UnfreezeEarlyLayers = parse.GetValue(unfreezeEarly) ?? t.UnfreezeEarlyLayers,
                OnnxBodyFeatures = t.OnnxBodyFeatures, Int8BodyFeatures = t.Int8BodyFeatures,
                CachedAugmentedViews = parse.GetValue(cachedViews) ?? 4,
                Augment = parse.GetValue(minScale) is { } ms ? Vision.Imaging.AugmentOptions.Default with { MinScale = ms } : Vision.Imaging.AugmentOptions.Default,
            };
            var roots = BaseFolders.ForTrain(parse.GetValue(folders) ?? [], t);
            return Task.FromResult(Run(ctx, roots, options, parse.GetValue(validPct) ?? t.ValidationFraction, !parse.GetValue(noPromote), parse.GetValue(json), ct));
        });
        return command;
    }

    private static int Run(CliContext ctx, IReadOnlyList<string> roots, FineTuneOptions options, double validFraction, bool promote, bool json, CancellationToken ct)
    {
        var data = FolderDatasets.Build(roots, validFraction, options.Seed, ctx.Loader, ctx.Retraining.HoldoutSharePercent);
        var catalog = ctx.Catalog;
        var observer = new ConsoleTrainingObserver(json ? TextWriter.Null : ctx.Output, ctx.Interactive);
        if (!json)
            ctx.Output.WriteLine($"Training on {data.Train.Count} images, validating on {data.Valid.Count} ({string.Join(", ", data.Classes)}) — device {ctx.Device}");
        var version = catalog.NextVersion();
        var result = TrainingJob.Run(new TrainingJobRequest
        {
            Data = data,
            Version = version,
            ModelsDirectory = ctx.Storage.ModelsDirectory,
            RunsDirectory = ctx.Storage.RunsDirectory,
            FeatureCacheDirectory = ctx.Storage.FeatureCacheDirectory,
            Options = options,
            RunId = $"{ctx.Time.GetUtcNow():yyyyMMdd-HHmmss}-train-{version}",
        }, ctx.Device, observer, ct);
        // Recorded with the version (as given and absolute), so a retrain of this model trains and judges on the same folders.
        catalog.Register(result, parentVersion: null, roots.Select(r => BaseFolders.Record(r)).ToList());
        if (promote) ctx.Database.Models.Promote(version, $"trained with `train` on {string.Join(", ", roots)}");
        var promoted = promote;
        var v = result.Result.Validation;
        if (json)
        {
            JsonOutput.Write(ctx.Output, new
            {
                version, checkpoint = result.CheckpointPath, report = result.ReportDirectory, promoted,
                classes = data.Classes, train_images = data.Train.Count, valid_images = v.Count,
                error_rate = double.IsFinite(v.ErrorRate) ? v.ErrorRate : (double?)null,
                valid_loss = double.IsFinite(v.Loss) ? v.Loss : (double?)null,
                seconds = Math.Round(result.Result.Duration.TotalSeconds, 1), skipped = observer.Skipped,
                epochs = result.Result.Epochs.Select(e => new { e.Phase, e.Epoch, e.TrainLoss, e.ValidLoss, e.ErrorRate, seconds = e.Duration.TotalSeconds }),
            });
        }
        else
        {
            ctx.Output.WriteLine($"Model {version}: error rate {v.ErrorRate:P1} on {v.Count} validation images ({v.Errors} wrong), {result.Result.Duration.TotalSeconds:0}s.");
            var (eceBefore, eceAfter) = v.CalibrationError();
            ctx.Output.WriteLine($"Calibration: temperature {result.Result.Temperature:0.00}, expected calibration error {eceBefore:P1} before, {eceAfter:P1} after ({options.Preprocessing} preprocessing).");
            ctx.Output.WriteLine($"Checkpoint {result.CheckpointPath}");
            ctx.Output.WriteLine($"Report     {result.ReportDirectory} (metrics.json, confusion_matrix.png, training_curves.png, top_losses.png)");
            ctx.Output.WriteLine(promoted ? $"{version} is now the serving model." : $"{version} registered; promote it with `models promote {version}`.");
        }
        return 0;
    }
}
