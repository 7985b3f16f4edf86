namespace P2P.Work;

/// <summary>One mining thread's evaluator and buffers.</summary>
internal sealed class WorkMinerWorker(WorkWeights weights, WorkMinerOptions options)
{
    public BatchedWorkEvaluator Evaluator { get; } = new(weights, options.BatchSize, options.Kernel);
    public ulong[] Nonces { get; } = new ulong[options.BatchSize];
    public byte[] Hashes { get; } = new byte[options.BatchSize * 32];
    public sbyte[] Activations { get; } = new sbyte[options.BatchSize * weights.Profile.ActivationBytes];
}
