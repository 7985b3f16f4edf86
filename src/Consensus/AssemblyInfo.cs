namespace P2P.Consensus;
