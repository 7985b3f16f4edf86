namespace P2P.Storage;

/// <summary>LevelDB found corrupt data (checksum mismatch, truncated table, bad manifest).</summary>
public class LevelDbCorruptionException(string message, Exception? inner = null) : LevelDbException(LevelDbErrorKind.Corruption, message, inner);
