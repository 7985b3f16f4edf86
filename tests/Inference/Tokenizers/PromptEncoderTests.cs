using System.Text.Json;
using P2P.Inference.Models;
using P2P.Inference.Tokenizers;
using P2P.Testing;

namespace P2P.Inference.Tests.Tokenizers;

public class PromptEncoderTests
{
    private const string Seeded = "seed:dim=64,layers=1,heads=4,kv_heads=2,ffn=96,vocab=300,max_seq=64,seed=1";

    /// <summary>A byte-level BPE tokenizer.json with the 256 byte tokens and no merges: "hi" is [104, 105].</summary>
    private static string BytesOnlyTokenizerJson()
    {
        var vocab = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++) vocab[ByteLevelAlphabet.Encode((byte)b).ToString()] = b;
        return JsonSerializer.Serialize(new
        {
            version = "1.0",
            added_tokens = Array.Empty<object>(),
            normalizer = (object?)null,
            pre_tokenizer = new { type = "ByteLevel", add_prefix_space = false, use_regex = true },
            decoder = new { type = "ByteLevel" },
            model = new { type = "BPE", vocab, merges = Array.Empty<string>() },
        });
    }

    [Fact]
    public void CheckpointWithTokenizerJson_GetsTheConfiguredBosBeforeThePrompt()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.Sub("tokenizer.json"), BytesOnlyTokenizerJson());
        var config = SeededModelSpec.Parse(Seeded).Config with { BosTokenId = 1 };

        var encoder = PromptEncoder.ForModel(directory.Path, config);

        Assert.NotNull(encoder);
        Assert.IsType<BpeTokenizer>(encoder.Tokenizer);
        Assert.Equal([1, 104, 105], encoder.Encode("hi"));
        Assert.Equal([104, 105], PromptEncoder.ForModel(directory.Path, config with { BosTokenId = null })!.Encode("hi"));
    }

    [Fact]
    public void SeededModel_EncodesBytesWithoutBos_AndADirectoryWithoutTokenizerHasNoEncoder()
    {
        var config = SeededModelSpec.Parse(Seeded).Config with { BosTokenId = 1 };

        var encoder = PromptEncoder.ForModel(Seeded, config);

        Assert.NotNull(encoder);
        Assert.Null(encoder.BosTokenId);
        Assert.Equal([104, 105], encoder.Encode("hi"));
        using var empty = new TempDirectory();
        Assert.Null(PromptEncoder.ForModel(empty.Path, config));
    }
}
