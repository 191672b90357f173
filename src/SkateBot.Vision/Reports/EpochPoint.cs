namespace SkateBot.Vision.Reports;

/// <summary>Metrics after one training epoch; <paramref name="ErrorRate"/> is a fraction (0–1) on the validation set.</summary>
public sealed record EpochPoint(int Epoch, double TrainLoss, double ValidLoss, double ErrorRate);
