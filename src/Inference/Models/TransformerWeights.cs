using System.Security.Cryptography;
using System.Text;
using P2P.Inference.Kernels;

namespace P2P.Inference.Models;

/// <summary>The weights one shard needs: layers [a, b), plus embeddings when a = 0 and final norm + head when b = L.</summary>
public sealed unsafe class TransformerWeights : IDisposable
{
    private readonly List<(string Name, WeightMatrix Matrix)> _named = [];
    private readonly WeightArena? _arena = WeightMatrix.UseHugePages && OperatingSystem.IsLinux() ? new WeightArena() : null;

    private TransformerWeights(ModelConfig config, ShardRange range)
    {
        Config = config;
        Range = range;
    }

    public ModelConfig Config { get; }
    public ShardRange Range { get; }
    public WeightMatrix? Embedding { get; private set; }
    public IReadOnlyList<LayerWeights> Layers { get; private set; } = [];
    public WeightMatrix? FinalNorm { get; private set; }
    public WeightMatrix? Head { get; private set; }

    public bool HasEmbeddings => Range.Start == 0;
    public bool HasHead => Range.End == Config.NumLayers;

    public static TransformerWeights Load(ModelConfig config, ShardRange range, ITensorSource source)
    {
        config.Validate();
        range.Validate(config);
        var weights = new TransformerWeights(config, range);
        try
        {
            weights.LoadFrom(source);
            return weights;
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    private void LoadFrom(ITensorSource source)
    {
        var c = Config;
        int d = c.HiddenSize;
        bool tiedHead = c.TieWordEmbeddings;
        if (HasEmbeddings || (HasHead && tiedHead))
            Embedding = Single(source, "model.embed_tokens.weight", c.VocabSize, d);
        var layers = new List<LayerWeights>();
        for (int i = Range.Start; i < Range.End; i++)
        {
            string p = $"model.layers.{i}.";
            layers.Add(new LayerWeights
            {
                AttentionNorm = Single(source, p + "input_layernorm.weight", 1, d),
                QueryKeyValue = Stacked(source, d,
                    (p + "self_attn.q_proj.weight", c.QueryDim), (p + "self_attn.k_proj.weight", c.KvDim), (p + "self_attn.v_proj.weight", c.KvDim)),
                Output = Single(source, p + "self_attn.o_proj.weight", d, c.QueryDim),
                FeedForwardNorm = Single(source, p + "post_attention_layernorm.weight", 1, d),
                GateUp = Stacked(source, d, (p + "mlp.gate_proj.weight", c.IntermediateSize), (p + "mlp.up_proj.weight", c.IntermediateSize)),
                Down = Single(source, p + "mlp.down_proj.weight", d, c.IntermediateSize),
            });
            Layers = layers;
        }
        if (HasHead)
        {
            FinalNorm = Single(source, "model.norm.weight", 1, d);
            Head = tiedHead ? Embedding : Single(source, "lm_head.weight", c.VocabSize, d);
        }
    }

    /// <summary>Small matrices share the arena's huge pages; large ones get their own (<see cref="WeightMatrix"/>).</summary>
    private WeightMatrix NewMatrix(int rows, int cols) =>
        _arena is not null && (long)rows * cols * sizeof(float) < WeightMatrix.HugePageBytes ? _arena.Matrix(rows, cols) : new WeightMatrix(rows, cols);

    private WeightMatrix Single(ITensorSource source, string name, int rows, int cols)
    {
        var matrix = NewMatrix(rows, cols);
        try
        {
            source.Read(name, rows == 1 ? [cols] : [rows, cols], matrix.Data);
        }
        catch
        {
            matrix.Dispose();
            throw;
        }
        _named.Add((name, matrix));
        return matrix;
    }

    private WeightMatrix Stacked(ITensorSource source, int cols, params (string Name, int Rows)[] parts)
    {
        var matrix = NewMatrix(parts.Sum(p => p.Rows), cols);
        try
        {
            long offset = 0;
            foreach (var (name, rows) in parts)
            {
                source.Read(name, [rows, cols], matrix.Data + offset);
                offset += (long)rows * cols;
            }
        }
        catch
        {
            matrix.Dispose();
            throw;
        }
        _named.Add((string.Join("+", parts.Select(p => p.Name)), matrix));
        return matrix;
    }

    /// <summary>SHA-256 over every loaded tensor in load order: UTF-8 name, a zero byte, rows, cols (int32 LE), float32 LE data.</summary>
    public byte[] ComputeHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> dims = stackalloc byte[8];
        foreach (var (name, matrix) in _named)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            sha.AppendData([0]);
            BitConverter.TryWriteBytes(dims, matrix.Rows);
            BitConverter.TryWriteBytes(dims[4..], matrix.Cols);
            sha.AppendData(dims);
            long total = matrix.Length * sizeof(float);
            for (long offset = 0; offset < total; offset += 1 << 30)
                sha.AppendData(new ReadOnlySpan<byte>((byte*)matrix.Data + offset, (int)Math.Min(1 << 30, total - offset)));
        }
        return sha.GetHashAndReset();
    }

    /// <summary>Bytes of weights a single decode step reads (everything but the embedding table, unless it is the head).</summary>
    public long DecodeBytesPerToken
    {
        get
        {
            long bytes = Layers.Sum(l => l.All.Sum(m => m.Length)) * sizeof(float);
            if (FinalNorm is not null) bytes += FinalNorm.Length * sizeof(float);
            if (Head is not null) bytes += Head.Length * sizeof(float);
            return bytes;
        }
    }

    public void Dispose()
    {
        foreach (var (_, matrix) in _named) matrix.Dispose();
        _named.Clear();
        _arena?.Dispose();
    }
}
