using P2P.Work;
using P2P.Work.Kernels;

namespace P2P.Bench.Work;

/// <summary>Command line of the work benchmark: --profile NAME, --threads N (repeatable), --kernel NAME, --batch N, --seconds S, --phases on|only.</summary>
internal sealed class BenchOptions
{
    public List<WorkProfile> Profiles { get; } = [];
    public List<int> Threads { get; } = [];
    public List<Int8GemmKernel> Kernels { get; } = [];
    public int? Batch { get; private set; }
    public double Seconds { get; private set; } = 3;

    /// <summary>--phases on|only: profile one thread's pass phase by phase (before the throughput rows, or instead of them).</summary>
    public bool Phases { get; private set; }

    public bool PhasesOnly { get; private set; }
    public TimeSpan PeakDuration => TimeSpan.FromSeconds(Math.Min(1, Seconds / 3));

    public TimeSpan ProfileDuration(WorkProfile profile, Int8GemmKernel kernel) =>
        TimeSpan.FromSeconds(kernel == Int8GemmKernel.Scalar ? Seconds / 2 : profile.Name == "large" ? Seconds * 2 : Seconds);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            switch (args[i])
            {
                case "--profile": o.Profiles.Add(WorkProfile.FromName(value) ?? throw new ArgumentException($"unknown profile {value}")); break;
                case "--threads": o.Threads.Add(int.Parse(value)); break;
                case "--kernel": o.Kernels.Add(Int8GemmKernel.FromName(value) ?? throw new ArgumentException($"kernel {value} not supported here")); break;
                case "--batch": o.Batch = int.Parse(value); break;
                case "--phases": o.Phases = value is "on" or "only"; o.PhasesOnly = value == "only"; break;
                case "--seconds": o.Seconds = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Profiles.Count == 0) o.Profiles.AddRange(WorkProfile.All);
        if (o.Threads.Count == 0) o.Threads.AddRange([1, 2]);
        if (o.Kernels.Count == 0) o.Kernels.AddRange([Int8GemmKernel.Scalar, Int8GemmKernel.Best]);
        return o;
    }
}
