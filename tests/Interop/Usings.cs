namespace P2P.Interop.Tests;
