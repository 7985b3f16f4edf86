using P2P.InferenceNetwork.Protocol;

namespace P2P.Daemon.Gateway;

/// <summary>The completion being built: tokens, decoded text (cut at a stop string) and the finish reason.</summary>
internal sealed class Output(GatewayModel model, string[] stops)
{
    public List<int> Tokens { get; } = [];

    public List<TokenDelta> Deltas { get; } = [];

    public string Text { get; private set; } = "";

    public string? FinishReason { get; set; }

    /// <summary>Adds a token response; returns the token's delta (null for a final message without a token).</summary>
    public TokenDelta? Add(InferResponse response)
    {
        TokenDelta? delta = null;
        if (response.Kind == InferKinds.Token)
        {
            Tokens.Add(response.Token);
            var full = model.Tokenizer.Decode(Tokens);
            var added = full.Length >= Text.Length && full.StartsWith(Text, StringComparison.Ordinal) ? full[Text.Length..] : "";
            int offset = Text.Length;
            var stopAt = stops.Select(s => full.IndexOf(s, Math.Max(0, offset - s.Length), StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            if (stopAt >= 0)
            {
                added = stopAt > offset ? full[offset..stopAt] : "";
                FinishReason = "stop";
            }
            Text += added;
            delta = new TokenDelta(response.Token, model.Tokenizer.Decode([response.Token]), added, response.LogProb,
                [.. response.Top.Select(t => (model.Tokenizer.Decode([t.Token]), t.LogProb))], offset);
            Deltas.Add(delta);
        }
        FinishReason ??= response.FinishReason;
        return delta;
    }
}
