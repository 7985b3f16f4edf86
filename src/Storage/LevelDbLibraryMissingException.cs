namespace P2P.Storage;

/// <summary>The LevelDB shared library could not be loaded; the message says which Debian package provides it.</summary>
public sealed class LevelDbLibraryMissingException(string libraryName, string installHint)
    : Exception($"the LevelDB library {libraryName} was not found; install it with: {installHint}")
{
    public string LibraryName { get; } = libraryName;
}
