using System.Text;
using System.Text.Json;
using P2P.Inference.Tokenizers;

namespace P2P.Inference.Tests.Tokenizers;

public class BpeTokenizerTests
{
    // Merges in rank order, written in plain text; the byte-level form (space → 'Ġ') is derived below.
    private static readonly (string Left, string Right)[] Merges =
    [
        (" ", "w"), ("l", "l"), ("h", "e"), ("e", "ll"), ("he", "ll"), ("hell", "o"),
        ("o", "r"), (" w", "or"), (" wor", "l"), (" worl", "d"),
    ];

    private const string Llama3Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static string Bytes(string text) => ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(text));

    /// <summary>Vocabulary: ids 0–255 are the single bytes; merged tokens follow from 256 in merge order; then extras.</summary>
    private static string TokenizerJson(object preTokenizer, bool ignoreMerges = false, params string[] extraTokens)
    {
        var vocab = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++) vocab[ByteLevelAlphabet.Encode((byte)b).ToString()] = b;
        foreach (var (l, r) in Merges) vocab[Bytes(l + r)] = vocab.Count;
        foreach (var extra in extraTokens) vocab[Bytes(extra)] = vocab.Count;
        var json = new
        {
            version = "1.0",
            added_tokens = new[] { new { id = 300, content = "<|endoftext|>", special = true } },
            normalizer = (object?)null,
            pre_tokenizer = preTokenizer,
            decoder = new { type = "ByteLevel" },
            model = new
            {
                type = "BPE",
                ignore_merges = ignoreMerges,
                vocab,
                merges = Merges.Select(m => $"{Bytes(m.Left)} {Bytes(m.Right)}").ToArray(),
            },
        };
        return JsonSerializer.Serialize(json);
    }

    private static BpeTokenizer Gpt2Style() =>
        BpeTokenizer.FromJson(TokenizerJson(new { type = "ByteLevel", add_prefix_space = false, use_regex = true }));

    private static BpeTokenizer Llama3Style() =>
        BpeTokenizer.FromJson(TokenizerJson(new
        {
            type = "Sequence",
            pretokenizers = new object[]
            {
                new { type = "Split", pattern = new { Regex = Llama3Pattern }, behavior = "Isolated", invert = false },
                new { type = "ByteLevel", add_prefix_space = false, use_regex = false },
            },
        }, ignoreMerges: true, "abc"));

    // Merged token ids: 256 " w", 257 "ll", 258 "he", 259 "ell", 260 "hell", 261 "hello", 262 "or", 263 " wor", 264 " worl", 265 " world".
    [Theory]
    [InlineData("hello world", new[] { 261, 265 })] // ll (rank 1) before he (2), then he+ll, hell+o; " w", or, " wor", " worl", " world"
    [InlineData("shell", new[] { 115, 260 })] // ll, then he, then he+ll: "e ll" (rank 3) never applies once "he" exists
    [InlineData("  world", new[] { 32, 265 })] // \s+(?!\S) keeps one space apart; the other joins the word
    [InlineData("42", new[] { 52, 50 })]
    [InlineData("héllo", new[] { 104, 0xC3, 0xA9, 257, 111 })] // é is two bytes with no merges
    [InlineData("hello<|endoftext|> world", new[] { 261, 300, 265 })]
    [InlineData("wor", new[] { 119, 262 })] // without the leading space "w or" has no merge
    public void Gpt2StyleEncodings_MatchTheHandAppliedBpe(string text, int[] expected)
    {
        var tokenizer = Gpt2Style();
        Assert.Equal(expected, tokenizer.Encode(text));
        Assert.Equal(text, tokenizer.Decode(expected));
    }

    [Theory]
    [InlineData("2024", new[] { 50, 48, 50, 52 })] // \p{N}{1,3}: "202" and "4", bytes only
    [InlineData("abc", new[] { 266 })] // ignore_merges: a whole-word vocabulary entry wins without merges
    [InlineData("hello world!!", new[] { 261, 265, 33, 33 })]
    [InlineData("I'LL", new[] { 73, 39, 76, 76 })] // (?i:'ll) is its own piece
    public void Llama3StyleSplitPretokenizerAndIgnoreMerges_GiveTheHandAppliedIds(string text, int[] expected)
    {
        var tokenizer = Llama3Style();
        Assert.Equal(expected, tokenizer.Encode(text));
        Assert.Equal(text, tokenizer.Decode(expected));
    }

    public static readonly string[] Corpus =
    [
        "The quick brown fox jumps over the lazy dog.",
        "Ça déjà vu? Naïve façade, smörgåsbord, Ærøskøbing, Straße.",
        "日本語のテキストと中文文本，还有한국어 문장。",
        "Emoji: 👋🏽 🚀✨ 👨‍👩‍👧‍👦 and flags 🇺🇳",
        "   leading spaces,\ttabs\t\tand\n\nnew lines\r\n trailing   ",
        "Mixed123numbers4567 and    runs     of spaces",
        "<|endoftext|>special at start and end<|endoftext|>",
        "Ελληνικά, русский текст, العربية, עברית, हिन्दी",
        "",
        " ",
        "\u0000\u0001 control bytes \u007f and U+FFFD \uFFFD",
    ];

    [Fact]
    public void MultilingualCorpus_RoundTripsThroughBothPretokenizers()
    {
        foreach (var tokenizer in new[] { Gpt2Style(), Llama3Style() })
        {
            foreach (var text in Corpus)
            {
                var ids = tokenizer.Encode(text);
                Assert.Equal(text, tokenizer.Decode(ids));
                Assert.All(ids, id => Assert.InRange(id, 0, tokenizer.VocabSize - 1));
            }
        }
    }

    [Fact]
    public void SpecialTokens_CanBeSkippedWhenDecoding()
    {
        var tokenizer = Gpt2Style();
        Assert.Equal("hello world", tokenizer.Decode([261, 300, 265], skipSpecialTokens: true));
        Assert.Equal(300, tokenizer.TokenId("<|endoftext|>"));
    }

    [Fact]
    public void ByteTokenizer_RoundTripsUtf8()
    {
        var tokenizer = new ByteTokenizer();
        foreach (var text in Corpus)
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
        Assert.Equal([0x68, 0xC3, 0xA9], tokenizer.Encode("hé"));
    }

    [Fact]
    public void UnsupportedTokenizerModels_AreRejected()
    {
        Assert.Throws<NotSupportedException>(() => BpeTokenizer.FromJson("""{"model":{"type":"Unigram","vocab":[]}}"""));
    }
}
