using P2P.Storage;

namespace P2P.Daemon.Configuration;

/// <summary>
/// An exclusive lock on <c>&lt;data-dir&gt;/p2pd.lock</c>, held for the life of <c>run</c> and during <c>init</c>, so
/// that two processes never share one node identity, wherever <c>Storage:Path</c> points. The kernel releases
/// the lock when the process dies, so a file left behind by a crash does not block the next start.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "p2pd.lock";

    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    /// <exception cref="DataDirectoryInUseException">another process holds the lock.</exception>
    /// <exception cref="ConfigurationException">the lock file cannot be created.</exception>
    public static DataDirectoryLock Acquire(DataDirectory directory)
    {
        var path = directory.Resolve(FileName);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        FileStream stream;
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix, which another process cannot take too.
            stream = new FileStream(path, options);
        }
        catch (UnauthorizedAccessException error)
        {
            throw new ConfigurationException(path, $"cannot create the lock file: {error.Message}", error);
        }
        catch (IOException error) when (File.Exists(path))
        {
            throw new DataDirectoryInUseException(directory.Path, error);
        }
        catch (IOException error)
        {
            throw new ConfigurationException(path, $"cannot create the lock file: {error.Message}", error);
        }
        // Nothing is written into the file: a refused start must leave the directory as it found it.
        return new DataDirectoryLock(stream);
    }

    public void Dispose() => _stream.Dispose();
}
