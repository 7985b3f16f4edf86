namespace P2P.Networking.Tests;
