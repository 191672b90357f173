namespace SkateBot.Vision.Samples;

/// <summary>One generated picture: its class folder name, file name and encoded bytes (PNG or JPEG).</summary>
public sealed record SkateSample(string ClassName, string FileName, byte[] Data);
