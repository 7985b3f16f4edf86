using System.Globalization;

namespace P2P.Daemon.Tests.Support;

/// <summary>
/// A fact that needs SIGINT to reach child processes. A shell without job control starts background jobs
/// with SIGINT ignored, children inherit that, and .NET keeps an inherited SIG_IGN: then the test is skipped.
/// </summary>
public sealed class SigintFactAttribute : FactAttribute
{
    public SigintFactAttribute()
    {
        if (SigintIgnored()) Skip = "SIGINT is ignored in this process (started as a background job without job control), so children cannot receive it";
    }

    public static bool SigintIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (Posix.SigInt - 1))) != 0;
    }
}
