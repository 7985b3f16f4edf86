namespace P2P.Inference.Tests;
