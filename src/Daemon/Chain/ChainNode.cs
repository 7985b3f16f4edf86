using P2P.Consensus.Gossip;
using P2P.Consensus.Mining;
using P2P.Consensus.Pools;
using P2P.Consensus.State;
using P2P.Consensus.Sync;
using P2P.Networking.Identity;

namespace P2P.Daemon.Chain;

/// <summary>The chain parts of a running node, for the endpoints and hosted services: state, pools (shares, transfers, receipts/verdicts/declarations), intake, gossip, synchroniser, miner (when enabled), the key it signs transfers with.</summary>
public sealed record ChainNode(
    ChainState State,
    SharePool Shares,
    TransferPool Transfers,
    AccountabilityPool Accountability,
    BlockIntake Intake,
    ChainGossip Gossip,
    MinerService? Miner,
    ChainSynchronizer Sync,
    byte[] RewardKey,
    Ed25519PrivateKey SigningKey);
