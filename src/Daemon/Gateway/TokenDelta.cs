namespace P2P.Daemon.Gateway;

/// <summary>One generated token as the client sees it: its id, its text, the new text it adds, log-probs and offset.</summary>
public sealed record TokenDelta(int Token, string TokenText, string Text, float LogProb, IReadOnlyList<(string Text, float LogProb)> Top, int Offset);
