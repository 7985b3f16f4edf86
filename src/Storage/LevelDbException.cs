namespace P2P.Storage;

/// <summary>A LevelDB operation failed; subclasses name the status kind.</summary>
public class LevelDbException : Exception
{
    public LevelDbException(LevelDbErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public LevelDbErrorKind Kind { get; }

    /// <summary>Maps a LevelDB status string (<c>"Corruption: …"</c>, <c>"IO error: …"</c>) to its exception type.</summary>
    public static LevelDbException FromStatus(string status, string? path)
    {
        if (status.StartsWith("IO error: lock ", StringComparison.Ordinal) && path is not null)
            return new DataDirectoryInUseException(path, new LevelDbIOException(status));
        if (status.StartsWith("NotFound: ", StringComparison.Ordinal)) return new LevelDbNotFoundException(status);
        if (status.StartsWith("Corruption: ", StringComparison.Ordinal)) return new LevelDbCorruptionException(status);
        if (status.StartsWith("Not implemented: ", StringComparison.Ordinal)) return new LevelDbNotSupportedException(status);
        if (status.StartsWith("Invalid argument: ", StringComparison.Ordinal)) return new LevelDbInvalidArgumentException(status);
        if (status.StartsWith("IO error: ", StringComparison.Ordinal)) return new LevelDbIOException(status);
        return new LevelDbException(LevelDbErrorKind.Unknown, status);
    }
}
