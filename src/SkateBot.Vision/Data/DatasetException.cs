namespace SkateBot.Vision.Data;

/// <summary>A dataset folder or label set cannot be used; the message says which folder or file and why.</summary>
public sealed class DatasetException(string message, Exception? innerException = null) : Exception(message, innerException);
