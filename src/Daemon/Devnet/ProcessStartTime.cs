using System.Globalization;

namespace P2P.Daemon.Devnet;

/// <summary>
/// A process's start time from <c>/proc/&lt;pid&gt;/stat</c> (clock ticks since boot): with the pid it names one process
/// for good, since a recycled pid starts later, and unlike the command line it stays readable while the process execs.
/// </summary>
public static class ProcessStartTime
{
    /// <summary>The start time of <paramref name="pid"/>, or null when no such process runs (gone, or an unreaped zombie).</summary>
    public static long? Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces or parentheses itself: fields resume after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0) return null;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is the state (field 3), fields[19] the start time (field 22).
        if (fields.Length < 20 || fields[0] is "Z" or "X" or "x") return null;
        return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }
}
