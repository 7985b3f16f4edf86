namespace P2P.Consensus.Rules;

/// <summary>
/// Shares whose work was verified (share target met, block target not) under a given epoch seed, so that templates,
/// relay checks and block validation evaluate the work function once per share. Bounded: the oldest entries go first.
/// </summary>
/// <remarks>
/// The key is the share id (the hash of the whole header, nonce and nBits included) with the epoch seed, because the
/// seed depends on the branch: the same header over another branch's seed is different work. Only passes are kept;
/// a failing share is checked again, which costs no more than before.
/// </remarks>
public sealed class VerifiedShareCache(int capacity)
{
    public const int DefaultCapacity = 8192;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _verified = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count { get { lock (_gate) return _verified.Count; } }

    public bool Contains(byte[] shareId, byte[] epochSeed)
    {
        string key = Key(shareId, epochSeed);
        lock (_gate) return _verified.Contains(key);
    }

    public void Add(byte[] shareId, byte[] epochSeed)
    {
        string key = Key(shareId, epochSeed);
        lock (_gate)
        {
            if (!_verified.Add(key)) return;
            _order.Enqueue(key);
            while (_verified.Count > Capacity && _order.TryDequeue(out var oldest)) _verified.Remove(oldest);
        }
    }

    private static string Key(byte[] shareId, byte[] epochSeed) => Convert.ToHexString(shareId) + Convert.ToHexString(epochSeed);
}
