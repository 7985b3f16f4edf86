using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;

namespace P2P.Consensus.State;

/// <summary>What submitting a block did: its status and reason, whether the head moved, how many blocks a reorganisation disconnected.</summary>
public sealed record SubmitResult(SubmitStatus Status, RejectReason Reason, byte[] Hash, bool HeadChanged, int ReorgDepth)
{
    public bool IsInvalid => Status == SubmitStatus.Invalid;

    public override string ToString() => $"{Status}{(Reason == RejectReason.None ? "" : $" ({Reason})")}{(HeadChanged ? ", head changed" : "")}{(ReorgDepth > 0 ? $", reorg depth {ReorgDepth}" : "")}";
}
