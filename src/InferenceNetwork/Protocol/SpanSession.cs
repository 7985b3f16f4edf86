using P2P.Inference.Runtime;
using P2P.InferenceNetwork.Cheats;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Serving;

namespace P2P.InferenceNetwork.Protocol;

/// <summary>A gateway's session on one span of this node: its KV cache and the slot it holds.</summary>
internal sealed class SpanSession(ServedModel model, InferenceSession session, IDisposable slot) : IDisposable
{
    private int _stepping;

    public ServedModel Model { get; } = model;

    public InferenceSession Session { get; } = session;

    public long LastUsedTimestamp { get; set; }

    public required ShardCompute Compute { get; init; }

    /// <summary>What the session consumed and produced so far; null when the executor keeps no receipts.</summary>
    public SessionTranscript? Transcript { get; init; }

    /// <summary>Whether a step is running on the session (idle expiry skips it).</summary>
    public bool Stepping => Volatile.Read(ref _stepping) != 0;

    /// <summary>Claims the session for one step; false when another step holds it (a gateway's steps are sequential).</summary>
    public bool TryBeginStep() => Interlocked.CompareExchange(ref _stepping, 1, 0) == 0;

    public void EndStep() => Volatile.Write(ref _stepping, 0);

    public void Dispose()
    {
        Session.Dispose();
        slot.Dispose();
    }
}
