using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.InferenceNetwork.Serving;

namespace P2P.InferenceNetwork.Cheats;

/// <summary>
/// How the executor computes a served model: honestly through its shard, or through one of the test cheats. The
/// executor's session code is the same either way, so a cheat changes only the numbers, never the protocol.
/// </summary>
public sealed class ShardCompute : IDisposable
{
    private const float Perturbation = 0.01f;
    private readonly TransformerShard _body;
    private readonly TransformerShard _head;
    private readonly TransformerShard? _owned;
    private readonly ExecutorCheat _cheat;

    public ShardCompute(ServedModel model, ExecutorCheat cheat)
    {
        _cheat = cheat;
        _body = _head = model.Shard;
        var range = model.Range;
        if (cheat == ExecutorCheat.SmallerModel)
        {
            var config = model.Config with { IntermediateSize = Math.Max(1, model.Config.IntermediateSize / 2) };
            _owned = new TransformerShard(ModelLoader.Load(new SeededModelSpec(config, 0xC4EA7).ToString(), range), model.Shard.Backend, new KvCacheStore(64L << 20));
            _body = _head = _owned;
        }
        else if (cheat == ExecutorCheat.SkipLayers && range.Count >= 2)
        {
            _owned = new TransformerShard(ModelLoader.Load(model.Spec, new ShardRange(range.Start, range.End - 1)), model.Shard.Backend, new KvCacheStore(64L << 20));
            _body = _owned;
        }
    }

    public InferenceSession CreateSession() => _body.CreateSession();

    public float[] Embed(ReadOnlySpan<int> tokens) => _body.Embed(tokens);

    /// <summary>Runs the span over <paramref name="hidden"/> in place.</summary>
    public void Forward(InferenceSession session, int rows, float[] hidden)
    {
        var input = _cheat == ExecutorCheat.SkipLayers && _owned is null ? (float[])hidden.Clone() : null;
        _body.Forward([session], [rows], hidden);
        if (input is not null) input.CopyTo(hidden);
        if (_cheat == ExecutorCheat.PerturbLogits && !_head.HasHead) hidden[0] += Perturbation;
    }

    /// <summary>One row of logits for row <paramref name="row"/> of hidden.</summary>
    public float[] Logits(float[] hidden, int row)
    {
        var logits = _head.Logits(hidden, [row]);
        if (_cheat == ExecutorCheat.PerturbLogits)
            for (int i = 0; i < logits.Length; i++) logits[i] += Perturbation * (i % 3);
        return logits;
    }

    public void Dispose() => _owned?.Dispose();
}
