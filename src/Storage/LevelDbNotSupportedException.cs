namespace P2P.Storage;

/// <summary>LevelDB does not implement the requested operation.</summary>
public class LevelDbNotSupportedException(string message, Exception? inner = null) : LevelDbException(LevelDbErrorKind.NotSupported, message, inner);
