using System.Text;

namespace P2P.Inference.Tokenizers;

/// <summary>The tokenizer of seeded models: token id = UTF-8 byte (0–255); ids ≥ 256 decode to nothing.</summary>
public sealed class ByteTokenizer : ITokenizer
{
    public int[] Encode(string text) => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    public string Decode(IReadOnlyList<int> ids) =>
        Encoding.UTF8.GetString(ids.Where(id => id is >= 0 and < 256).Select(id => (byte)id).ToArray());
}
