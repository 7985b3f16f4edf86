using System.Runtime.InteropServices;

namespace P2P.Daemon.Tests.Support;

/// <summary>Sends POSIX signals (Process.Kill only sends SIGKILL).</summary>
public static partial class Posix
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigStop = 19;
    public const int SigCont = 18;

    public static void Signal(int processId, int signal)
    {
        if (kill(processId, signal) != 0) throw new InvalidOperationException($"kill({processId}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
