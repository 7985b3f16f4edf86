namespace P2P.Storage;

/// <summary>LevelDB rejected an argument (for example opening a missing database without create-if-missing).</summary>
public class LevelDbInvalidArgumentException(string message, Exception? inner = null) : LevelDbException(LevelDbErrorKind.InvalidArgument, message, inner);
