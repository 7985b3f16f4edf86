using P2P.Networking.Pubsub;

namespace P2P.Consensus.Gossip;

/// <summary>What the chain's gossip validators decided so far, per topic (for the API and tests).</summary>
public sealed class GossipCounters
{
    private static readonly string[] Topics = [ChainTopics.Blocks, ChainTopics.Shares, ChainTopics.Transfers, ChainTopics.Receipts, ChainTopics.Verdicts, ChainTopics.Services];
    private readonly long[] _counts = new long[Topics.Length * 3];

    /// <summary>How many messages of <paramref name="topic"/> got <paramref name="verdict"/>.</summary>
    public long Get(string topic, ValidationResult verdict) => Interlocked.Read(ref _counts[Slot(topic, verdict)]);

    internal void Count(string topic, ValidationResult verdict) => Interlocked.Increment(ref _counts[Slot(topic, verdict)]);

    private static int Slot(string topic, ValidationResult verdict) => Array.IndexOf(Topics, topic) * 3 + (int)verdict;
}
