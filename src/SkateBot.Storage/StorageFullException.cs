namespace SkateBot.Storage;

/// <summary>
/// The file system holding the data folder is full (or over its quota, or under 1 MB free, where no storage call starts):
/// nothing of that call was kept; everything written before is intact, and storage works again once there is space.
/// </summary>
public sealed class StorageFullException(string dataDirectory, Exception inner)
    : IOException($"The data folder {dataDirectory} is full (no space left on the device): the write was not recorded; free some space and it resumes.", inner);
