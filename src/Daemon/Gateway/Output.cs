using P2P.InferenceNetwork.Protocol;

namespace P2P.Daemon.Gateway;

/// <summary>
/// The completion being built: tokens, the text released to the client (cut at a stop string) and the finish reason.
/// Like OpenAI, text that may be the start of a stop string is held back until it is not (or until generation ends),
/// so a stop string spread over several tokens is never partly streamed.
/// </summary>
internal sealed class Output(GatewayModel model, string[] stops)
{
    private string _unclaimed = "";

    public List<int> Tokens { get; } = [];

    public List<TokenDelta> Deltas { get; } = [];

    /// <summary>Text released so far: final, never revised.</summary>
    public string Text { get; private set; } = "";

    public string? FinishReason { get; set; }

    /// <summary>Adds a token response; returns the token's delta (null for a final message without a token).</summary>
    public TokenDelta? Add(InferResponse response)
    {
        TokenDelta? delta = null;
        if (response.Kind == InferKinds.Token && FinishReason is null)
        {
            Tokens.Add(response.Token);
            int offset = Text.Length;
            var full = model.Tokenizer.Decode(Tokens);
            var stopAt = stops.Select(s => full.IndexOf(s, Math.Max(0, offset - s.Length), StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            if (stopAt >= 0)
            {
                Release(stopAt > offset ? full[offset..stopAt] : "");
                FinishReason = "stop";
            }
            else if (full.StartsWith(Text, StringComparison.Ordinal))
            {
                Release(full[offset..(full.Length - HeldBack(full, offset))]);
            }
            delta = new TokenDelta(response.Token, model.Tokenizer.Decode([response.Token]), Text[offset..], response.LogProb,
                [.. response.Top.Select(t => (model.Tokenizer.Decode([t.Token]), t.LogProb))], offset);
            Deltas.Add(delta);
        }
        if (FinishReason is null && response.FinishReason is not null) Complete(response.FinishReason);
        return delta;
    }

    /// <summary>Ends the output: what was held back is released (no stop string can match any more).</summary>
    public void Complete(string finishReason)
    {
        if (FinishReason is not null) return;
        FinishReason = finishReason;
        var full = model.Tokenizer.Decode(Tokens);
        if (full.StartsWith(Text, StringComparison.Ordinal)) Release(full[Text.Length..]);
    }

    /// <summary>Text released since the last call: what the next stream chunk carries.</summary>
    public string TakeReleased()
    {
        var released = _unclaimed;
        _unclaimed = "";
        return released;
    }

    private void Release(string text)
    {
        Text += text;
        _unclaimed += text;
    }

    /// <summary>
    /// Characters at the end of the unreleased text to hold: the longest tail that starts a stop string, or an incomplete
    /// UTF-8 sequence (decoded as U+FFFD until its last byte arrives).
    /// </summary>
    private int HeldBack(string full, int offset)
    {
        var pending = full.AsSpan(offset);
        int held = 0;
        foreach (var stop in stops)
        {
            for (int k = Math.Min(pending.Length, stop.Length - 1); k > held; k--)
            {
                if (stop.AsSpan().StartsWith(pending[^k..], StringComparison.Ordinal))
                {
                    held = k;
                    break;
                }
            }
        }
        int replacement = 0;
        while (replacement < pending.Length && pending[pending.Length - 1 - replacement] == '\uFFFD' && replacement < 3) replacement++;
        return Math.Max(held, replacement);
    }
}
