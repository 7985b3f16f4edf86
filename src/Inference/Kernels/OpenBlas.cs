using System.Runtime.InteropServices;

namespace P2P.Inference.Kernels;

/// <summary>cblas_sgemm from the system OpenBLAS (libopenblas.so.0), bound at run time; absent library → unavailable.</summary>
public static unsafe class OpenBlas
{
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
    private static readonly delegate* unmanaged<int, void> SetThreads;
    private static int _threads = -1;
    private static readonly Lock ThreadsLock = new();

    static OpenBlas()
    {
        ChooseCoreType();
        StartWithoutWorkers();
        foreach (var name in new[] { "libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll" })
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm)) continue;
            Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
            if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
                SetThreads = (delegate* unmanaged<int, void>)setThreads;
            if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out var coreName))
                CoreName = Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)coreName)());
            LibraryName = name;
            break;
        }
    }

    public static bool IsAvailable => Sgemm != null;

    /// <summary>The kernel family OpenBLAS selected (e.g. "SkylakeX", "Haswell").</summary>
    public static string? CoreName { get; }

    /// <summary>
    /// OpenBLAS picks its kernels by CPU model at load time, and releases older than the CPU (Debian 12 ships 0.3.21)
    /// fall back to the generic SSE3 "Prescott" kernels on unknown models — 3–4× slower on a Sapphire Rapids host.
    /// Unless the operator set OPENBLAS_CORETYPE, name the kernel family from the instruction sets the CPU reports.
    /// The variable must be in the native environment before the library initialises, hence setenv.
    /// </summary>
    private static void ChooseCoreType()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is not null) return;
        string? core = System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.X86.Avx512BW.IsSupported
                       && System.Runtime.Intrinsics.X86.Avx512DQ.IsSupported && System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported
            ? "SkylakeX"
            : System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported ? "Haswell" : null;
        if (core is not null) SetEnvironment("OPENBLAS_CORETYPE", core, 0);
    }

    /// <summary>
    /// OpenBLAS starts one worker per core when it loads, and a worker busy-waits for ~0.1 s before it sleeps: in a
    /// fresh `p2pd infer` that took a whole core from the compute threads, and the first ~25 decode steps ran at half
    /// speed. Our kernels call sgemm single-threaded from their own threads, so the library starts with none of its own
    /// unless the operator asked (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS); <see cref="MultiplyTransposed(float*, int, int, float*, int, float*, int)"/>
    /// with more threads grows the pool through openblas_set_num_threads.
    /// </summary>
    private static void StartWithoutWorkers()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS") is not null || Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is not null) return;
        SetEnvironment("OPENBLAS_NUM_THREADS", "1", 0);
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnvironment(string name, string value, int overwrite);

    public static string? LibraryName { get; }

    /// <summary>C[m, n] = A[m, k] · B[n, k]ᵀ (both operands row-major, k contiguous), on OpenBLAS's own threads.</summary>
    public static void MultiplyTransposed(float* a, int m, int k, float* b, int n, float* c, int threads) =>
        MultiplyTransposed(a, m, k, b, n, c, n, threads);

    /// <summary>As above with C's row stride ldc ≥ n, so callers can fill a column block of a wider C.</summary>
    public static void MultiplyTransposed(float* a, int m, int k, float* b, int n, float* c, int ldc, int threads)
    {
        UseThreads(threads);
        Sgemm(RowMajor, NoTrans, Trans, m, n, k, 1f, a, k, b, k, 0f, c, ldc);
    }

    /// <summary>
    /// C[m, n] = alpha · A[m, k] · op(B) on the calling thread, every operand row-major with its own row stride:
    /// op(B) is B[n, k]ᵀ when transposeB, else B[k, n]. Lets attention read heads in place from wider rows.
    /// </summary>
    public static void Multiply(float alpha, float* a, int lda, int m, int k, float* b, int ldb, bool transposeB, int n, float* c, int ldc)
    {
        UseThreads(1);
        Sgemm(RowMajor, NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, 0f, c, ldc);
    }

    private static void UseThreads(int threads)
    {
        if (!IsAvailable) throw new InvalidOperationException("OpenBLAS is not available");
        if (SetThreads != null && Volatile.Read(ref _threads) != threads)
        {
            lock (ThreadsLock)
            {
                SetThreads(threads);
                _threads = threads;
            }
        }
    }
}
