namespace P2P.Daemon.Cli;

/// <summary>Process exit codes of p2pd (documented in the README).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A runtime failure: the daemon is not reachable, a port is taken, a file cannot be written.</summary>
    public const int Failure = 1;
    /// <summary>Bad usage or configuration: unknown key, invalid value, unreadable path.</summary>
    public const int Configuration = 2;
    /// <summary>Another p2pd process holds the data directory.</summary>
    public const int DataDirectoryInUse = 3;
}
