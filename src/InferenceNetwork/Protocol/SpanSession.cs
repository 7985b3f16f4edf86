using P2P.Inference.Runtime;
using P2P.InferenceNetwork.Cheats;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Serving;

namespace P2P.InferenceNetwork.Protocol;

/// <summary>A gateway's session on one span of this node: its KV cache and the slot it holds.</summary>
internal sealed class SpanSession(ServedModel model, InferenceSession session, IDisposable slot) : IDisposable
{
    public ServedModel Model { get; } = model;

    public InferenceSession Session { get; } = session;

    public long LastUsedTimestamp { get; set; }

    public required ShardCompute Compute { get; init; }

    /// <summary>What the session consumed and produced so far; null when the executor keeps no receipts.</summary>
    public SessionTranscript? Transcript { get; init; }

    public void Dispose()
    {
        Session.Dispose();
        slot.Dispose();
    }
}
