using P2P.Inference.Kernels;

namespace P2P.Inference.Tests.Kernels;

/// <summary>
/// OpenBLAS starts without worker threads of its own (they busy-wait after starting and took a core from a fresh
/// process's first decode steps), keeps an operator's OPENBLAS_NUM_THREADS, and still grows its pool when a product asks
/// for more threads. Each case runs in a fresh process: the library reads its environment once, when it loads.
/// </summary>
public sealed unsafe class OpenBlasThreadTests
{
    [Fact]
    public void FreshProcess_LoadsOpenBlasWithoutWorkers_AndGrowsThemWhenAsked()
    {
        if (!OpenBlas.IsAvailable || !OperatingSystem.IsLinux()) return; // nothing to start: no library, or no /proc
        var report = Support.ProbeProcess.Run(new Dictionary<string, string>(), "openblas").Split(' ');
        Assert.Equal("1", report[0]);                              // the setting the library read
        Assert.Equal(report[1], report[2]);                        // no thread started by loading it
        Assert.True(int.Parse(report[3]) > int.Parse(report[2]), string.Join(' ', report)); // a 2-thread product added one
        Assert.Equal("same", report[4]);
    }

    [Fact]
    public void OperatorsSetting_IsKept()
    {
        if (!OpenBlas.IsAvailable || !OperatingSystem.IsLinux()) return;
        var report = Support.ProbeProcess.Run(new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = "2" }, "openblas").Split(' ');
        Assert.Equal("2", report[0]);
        Assert.Equal("same", report[4]);
    }

    /// <summary>
    /// In a fresh process: OPENBLAS_NUM_THREADS as the library saw it, the process's unnamed threads (OpenBLAS's
    /// workers carry the process's name) before loading it, after loading it and after a 2-thread product, and whether
    /// that product equals the 1-thread one.
    /// </summary>
    public static string Report()
    {
        int before = UnnamedThreads();
        if (!OpenBlas.IsAvailable) return "absent";
        int loaded = UnnamedThreads();
        const int m = 96, n = 96, k = 64;
        var a = new float[m * k];
        var b = new float[n * k];
        var one = new float[m * n];
        var two = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = (i % 13) * 0.25f - 1;
        for (int i = 0; i < b.Length; i++) b[i] = (i % 7) * 0.5f - 1;
        fixed (float* pa = a, pb = b, p1 = one, p2 = two)
        {
            OpenBlas.MultiplyTransposed(pa, m, k, pb, n, p1, threads: 1);
            OpenBlas.MultiplyTransposed(pa, m, k, pb, n, p2, threads: 2);
        }
        int grown = UnnamedThreads();
        // The native environment, where OpenBlas put the setting (the runtime's Environment keeps a copy made at start).
        string setting = System.Runtime.InteropServices.Marshal.PtrToStringAnsi(GetEnvironment("OPENBLAS_NUM_THREADS")) ?? "unset";
        return $"{setting} {before} {loaded} {grown} {(one.AsSpan().SequenceEqual(two) ? "same" : "different")}";
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getenv")]
    private static extern nint GetEnvironment(string name);

    private static int UnnamedThreads()
    {
        string process = File.ReadAllText("/proc/self/comm").Trim();
        return Directory.GetDirectories("/proc/self/task").Count(d => File.ReadAllText(Path.Combine(d, "comm")).Trim() == process);
    }
}
