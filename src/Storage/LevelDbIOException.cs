namespace P2P.Storage;

/// <summary>LevelDB hit an operating-system I/O error.</summary>
public class LevelDbIOException(string message, Exception? inner = null) : LevelDbException(LevelDbErrorKind.IOError, message, inner);
