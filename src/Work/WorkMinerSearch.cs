namespace P2P.Work;

/// <summary>Shared state of one search: the next unclaimed nonce and the best solution so far.</summary>
internal sealed class WorkMinerSearch(byte[] challenge, byte[] target, ulong start, ulong limit)
{
    private readonly Lock _gate = new();
    private ulong _claimed;
    private long _tried;
    private bool _stopped;

    public byte[] Challenge { get; } = challenge;
    public byte[] Target { get; } = target;
    public ulong? BestNonce { get; private set; }
    public byte[]? BestHash { get; private set; }
    public long Tried => Interlocked.Read(ref _tried);

    public bool TryClaim(int batch, out ulong first, out int count)
    {
        lock (_gate)
        {
            first = start + _claimed;
            count = (int)Math.Min((ulong)batch, limit - _claimed);
            if (_stopped || BestNonce is not null || count <= 0) { count = 0; return false; }
            _claimed += (ulong)count;
            return true;
        }
    }

    public void Report(ulong nonce, byte[] hash)
    {
        lock (_gate)
            if (BestNonce is null || nonce < BestNonce)
            {
                BestNonce = nonce;
                BestHash = hash;
            }
    }

    public void Completed(int count) => Interlocked.Add(ref _tried, count);

    public void Stop()
    {
        lock (_gate) _stopped = true;
    }
}
