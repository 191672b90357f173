namespace SkateBot.Vision.Data;

/// <summary>An image file and the index of its class in the dataset's <c>Classes</c>.</summary>
public sealed record LabelledImage(string Path, int ClassIndex);
