namespace SkateBot.Vision.Inference;

/// <summary>
/// No model is serving yet (none trained or promoted, or the first one is still loading). Callers show it as a friendly
/// problem; it is its own type so that a real bug (an <see cref="InvalidOperationException"/> anywhere else) is not.
/// </summary>
public sealed class ModelNotReadyException(string message = ModelNotReadyException.DefaultMessage) : Exception(message)
{
    public const string DefaultMessage = "No model is loaded yet: train one first (`skatebot train`).";
}
