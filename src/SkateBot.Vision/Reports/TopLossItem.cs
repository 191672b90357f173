namespace SkateBot.Vision.Reports;

/// <summary>
/// One validation image the model got badly wrong. <paramref name="ImagePng"/> is an encoded thumbnail (PNG or
/// JPEG); <paramref name="Probability"/> is the model's probability for <paramref name="Predicted"/>.
/// </summary>
public sealed record TopLossItem(byte[] ImagePng, string Predicted, string Actual, double Probability, double Loss);
