namespace P2P.Bench.Networking;

/// <summary>CPU time per thread of this process from /proc (Linux), to see whether sender and receiver work overlap.</summary>
internal static class ThreadCpu
{
    public static Dictionary<int, (string Name, double Seconds)> Snapshot()
    {
        var threads = new Dictionary<int, (string, double)>();
        if (!Directory.Exists("/proc/self/task"))
        {
            return threads;
        }
        foreach (var directory in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                // fields[11], fields[12]: utime, stime in clock ticks (100 per second)
                var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
                threads[int.Parse(Path.GetFileName(directory), System.Globalization.CultureInfo.InvariantCulture)] = (name, ticks / 100.0);
            }
            catch (IOException)
            {
            }
        }
        return threads;
    }

    public static string Busiest(Dictionary<int, (string Name, double Seconds)> before, Dictionary<int, (string Name, double Seconds)> after, int count = 4)
    {
        var deltas = after.Select(p => (p.Value.Name, Seconds: p.Value.Seconds - (before.TryGetValue(p.Key, out var b) ? b.Seconds : 0)))
            .Where(p => p.Seconds > 0).OrderByDescending(p => p.Seconds).Take(count);
        return string.Join(", ", deltas.Select(d => $"{d.Name} {d.Seconds:F2} s"));
    }
}
