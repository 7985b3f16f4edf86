namespace P2P.Work;

/// <summary>The outcome of a mining run: the smallest nonce found (if any), how many nonces were evaluated and for how long.</summary>
public sealed record WorkMinerResult(ulong? Nonce, byte[]? WorkHash, long NoncesTried, TimeSpan Elapsed, bool Cancelled)
{
    public bool Found => Nonce.HasValue;
}
