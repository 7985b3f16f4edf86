namespace P2P.Networking;
