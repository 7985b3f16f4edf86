using System.Diagnostics;
using System.Runtime.CompilerServices;
using P2P.Inference.Runtime;

namespace P2P.Inference.Generation;

/// <summary>
/// Prefill + decode with a KV cache over a whole model (a shard with embeddings and head). Several requests are
/// decoded together: each step is one forward pass over the weights for all active sessions.
/// </summary>
public sealed class Generator
{
    private readonly TransformerShard _model;
    private readonly InferenceMetrics _metrics;

    /// <param name="metrics">where requests and tokens are counted; <see cref="InferenceMetrics.Shared"/> by default.</param>
    public Generator(TransformerShard model, InferenceMetrics? metrics = null)
    {
        if (!model.HasEmbeddings || !model.HasHead)
            throw new ArgumentException($"generation needs the whole model; shard {model.Range} lacks embeddings or head", nameof(model));
        _model = model;
        _metrics = metrics ?? InferenceMetrics.Shared;
    }

    public GenerationResult Generate(GenerationRequest request) => GenerateBatch([request])[0];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<GenerationResult> GenerateBatch(IReadOnlyList<GenerationRequest> requests)
    {
        if (requests.Count == 0) return [];
        foreach (var r in requests)
        {
            if (r.Prompt.Count == 0) throw new ArgumentException("a prompt needs at least one token");
            if (r.MaxTokens < 0) throw new ArgumentException("MaxTokens must not be negative");
        }
        var states = requests.Select(r => new RequestState(r, _model.CreateSession())).ToArray();
        try
        {
            var clock = Stopwatch.StartNew();
            var lengths = requests.Select(r => r.Prompt.Count).ToArray();
            var hidden = _model.Embed(requests.SelectMany(r => r.Prompt).ToArray());
            _model.Forward(states.Select(s => s.Session).ToArray(), lengths, hidden);
            var lastRows = new int[states.Length];
            for (int i = 0, offset = 0; i < states.Length; offset += lengths[i], i++) lastRows[i] = offset + lengths[i] - 1;
            var logits = _model.Logits(hidden, lastRows);
            var prefill = clock.Elapsed;
            var active = Accept(states, logits);
            while (active.Count > 0)
            {
                // Plain arrays, not LINQ: once per step, and generic framework code would start unoptimised.
                var lastTokens = new int[active.Count];
                var sessions = new InferenceSession[active.Count];
                var ones = new int[active.Count];
                var rows = new int[active.Count];
                for (int i = 0; i < active.Count; i++)
                {
                    lastTokens[i] = active[i].Tokens[^1];
                    sessions[i] = active[i].Session;
                    ones[i] = 1;
                    rows[i] = i;
                }
                hidden = _model.Embed(lastTokens);
                _model.Forward(sessions, ones, hidden);
                // The previous step's logits are no longer read: the head writes into them when the batch kept its size.
                logits = _model.Logits(hidden, rows, reuse: logits);
                active = Accept(active, logits);
            }
            var decode = clock.Elapsed - prefill;
            var results = states.Select(s => new GenerationResult(s.Tokens, s.FinishReason!, s.LogProbs, s.Request.Prompt.Count, prefill, decode)).ToArray();
            foreach (var result in results) _metrics.RecordRequest(_model.Backend.Mode, result);
            return results;
        }
        finally
        {
            foreach (var s in states) s.Session.Dispose();
        }
    }

    /// <summary>Samples one token per state from its logits row; returns the states that continue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<RequestState> Accept(IReadOnlyList<RequestState> states, float[] logits)
    {
        int vocab = _model.Config.VocabSize;
        var next = new List<RequestState>();
        for (int i = 0; i < states.Count; i++)
        {
            var s = states[i];
            if (s.Request.MaxTokens == 0)
            {
                s.FinishReason = "length";
                continue;
            }
            var row = logits.AsSpan(i * vocab, vocab);
            int token = s.Sampler.Sample(row);
            if (s.Request.StopTokens.Contains(token))
            {
                s.FinishReason = "stop";
                continue;
            }
            s.Tokens.Add(token);
            if (s.Request.TopLogProbs > 0) s.LogProbs.Add(LogSoftmax.For(row, token, s.Request.TopLogProbs));
            if (s.Tokens.Count >= s.Request.MaxTokens || s.Session.Position >= _model.Config.MaxPositions)
            {
                s.FinishReason = "length";
                continue;
            }
            next.Add(s);
        }
        return next;
    }

    /// <summary>Teacher forcing: prompt + claimed completion in one prefill; the log-prob of each completion token.</summary>
    public ScoreResult Score(IReadOnlyList<int> prompt, IReadOnlyList<int> completion, int topLogProbs = 0)
    {
        if (prompt.Count == 0) throw new ArgumentException("a prompt needs at least one token");
        var tokens = prompt.Concat(completion).ToArray();
        using var session = _model.CreateSession();
        var hidden = _model.Embed(tokens);
        _model.Forward([session], [tokens.Length], hidden);
        var rows = Enumerable.Range(prompt.Count - 1, completion.Count).ToArray();
        var logits = _model.Logits(hidden, rows);
        int vocab = _model.Config.VocabSize;
        var positions = new TokenLogProbs[completion.Count];
        for (int j = 0; j < completion.Count; j++)
            positions[j] = LogSoftmax.For(logits.AsSpan(j * vocab, vocab), completion[j], topLogProbs);
        return new ScoreResult(positions);
    }

    private sealed class RequestState(GenerationRequest request, InferenceSession session)
    {
        public GenerationRequest Request { get; } = request;
        public InferenceSession Session { get; } = session;
        public TokenSampler Sampler { get; } = new(request.Sampling);
        public List<int> Tokens { get; } = [];
        public List<TokenLogProbs> LogProbs { get; } = [];
        public string? FinishReason { get; set; }
    }
}
