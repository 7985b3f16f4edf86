namespace P2P.Consensus.Tests;
