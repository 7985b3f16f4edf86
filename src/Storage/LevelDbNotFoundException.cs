namespace P2P.Storage;

/// <summary>LevelDB reported that a file or database it needed does not exist.</summary>
public class LevelDbNotFoundException(string message, Exception? inner = null) : LevelDbException(LevelDbErrorKind.NotFound, message, inner);
