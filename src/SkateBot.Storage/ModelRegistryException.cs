namespace SkateBot.Storage;

/// <summary>A registry rule refused the change (a version registered twice, a rollback with nothing to roll back to, ...);
/// the message says which rule. Its own type so callers can show it to an operator without hiding other bugs.</summary>
public sealed class ModelRegistryException(string message) : InvalidOperationException(message);
