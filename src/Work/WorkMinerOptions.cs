using P2P.Work.Kernels;

namespace P2P.Work;

/// <summary>How a <see cref="WorkMiner"/> runs: threads, nonces per batch, GEMM kernel and the clock it reports time by.</summary>
public sealed class WorkMinerOptions
{
    public int Threads { get; init; } = Environment.ProcessorCount;
    public int BatchSize { get; init; } = 6;
    public Int8GemmKernel? Kernel { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
