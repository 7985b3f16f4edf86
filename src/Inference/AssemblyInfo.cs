namespace P2P.Inference;
