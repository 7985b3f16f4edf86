namespace P2P.Inference.Tokenizers;

/// <summary>Text ↔ token ids.</summary>
public interface ITokenizer
{
    int[] Encode(string text);

    string Decode(IReadOnlyList<int> ids);
}
