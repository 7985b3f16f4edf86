using System.Runtime.InteropServices;

namespace P2P.Daemon.Devnet;

/// <summary>kill(2): .NET can only SIGKILL another process, and the devnet stops its daemons gracefully first.</summary>
public static partial class PosixSignals
{
    public const int Sigkill = 9;
    public const int Sigterm = 15;

    /// <summary>False when the process does not exist (any more) or may not be signalled.</summary>
    public static bool Send(int pid, int signal) => pid > 0 && Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
