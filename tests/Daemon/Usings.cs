namespace P2P.Daemon.Tests;
