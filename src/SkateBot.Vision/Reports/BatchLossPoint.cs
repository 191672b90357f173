namespace SkateBot.Vision.Reports;

/// <summary>Training loss of one mini-batch; <paramref name="Step"/> counts batches across the whole run.</summary>
public sealed record BatchLossPoint(int Step, double Loss);
