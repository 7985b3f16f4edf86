namespace P2P.Storage;

/// <summary>The LevelDB status code an error came from.</summary>
public enum LevelDbErrorKind
{
    NotFound,
    Corruption,
    NotSupported,
    InvalidArgument,
    IOError,
    Unknown,
}
