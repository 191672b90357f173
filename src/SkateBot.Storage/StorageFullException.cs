namespace SkateBot.Storage;

/// <summary>
/// A write did not fit: the file system holding the data folder is full (or over its quota). Nothing of that write was
/// kept; everything written before is intact and readable, and writing works again once there is space.
/// </summary>
public sealed class StorageFullException(string dataDirectory, Exception inner)
    : IOException($"The data folder {dataDirectory} is full (no space left on the device): the write was not recorded; free some space and it resumes.", inner);
