using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace P2P.Inference.Tokenizers;

/// <summary>
/// Hugging Face tokenizer.json with a byte-level BPE model (GPT-2, Llama-3, Qwen families): added/special tokens are
/// split out first, then the pre-tokenizer (Split regex and/or ByteLevel regex) cuts pieces, each piece's UTF-8 bytes
/// are mapped through <see cref="ByteLevelAlphabet"/> and merged by rank.
/// </summary>
public sealed class BpeTokenizer : ITokenizer
{
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
    private const int MaxCachedWords = 1 << 16;

    private readonly Dictionary<string, int> _vocab;
    private readonly string[] _tokenOfId;
    private readonly Dictionary<(string, string), int> _mergeRanks;
    private readonly Dictionary<string, int> _addedTokens;
    private readonly HashSet<int> _specialIds;
    private readonly Regex? _addedSplitter;
    private readonly List<Regex> _splitPatterns;
    private readonly bool _addPrefixSpace;
    private readonly bool _ignoreMerges;
    private readonly bool _nfc;
    private readonly int? _unknownId;
    private readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    private BpeTokenizer(Dictionary<string, int> vocab, Dictionary<(string, string), int> mergeRanks, Dictionary<string, int> addedTokens,
        HashSet<int> specialIds, List<Regex> splitPatterns, bool addPrefixSpace, bool ignoreMerges, bool nfc, int? unknownId)
    {
        _vocab = vocab;
        _mergeRanks = mergeRanks;
        _addedTokens = addedTokens;
        _specialIds = specialIds;
        _splitPatterns = splitPatterns;
        _addPrefixSpace = addPrefixSpace;
        _ignoreMerges = ignoreMerges;
        _nfc = nfc;
        _unknownId = unknownId;
        int size = Math.Max(vocab.Count == 0 ? 0 : vocab.Values.Max() + 1, addedTokens.Count == 0 ? 0 : addedTokens.Values.Max() + 1);
        _tokenOfId = new string[size];
        foreach (var (token, id) in vocab) _tokenOfId[id] = token;
        foreach (var (token, id) in addedTokens) _tokenOfId[id] = token;
        if (addedTokens.Count > 0)
            _addedSplitter = new Regex(string.Join("|", addedTokens.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)), RegexOptions.CultureInvariant);
    }

    public int VocabSize => _tokenOfId.Length;

    public IReadOnlyCollection<int> SpecialTokenIds => _specialIds;

    public int? TokenId(string token) => _addedTokens.TryGetValue(token, out int a) ? a : _vocab.TryGetValue(token, out int v) ? v : null;

    public static BpeTokenizer FromFile(string path) => FromJson(File.ReadAllText(path));

    public static BpeTokenizer FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var model = root.GetProperty("model");
        string type = model.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "BPE";
        if (type != "BPE") throw new NotSupportedException($"tokenizer.json: model type '{type}' is not supported (BPE only)");
        var vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
        var ranks = new Dictionary<(string, string), int>();
        int rank = 0;
        foreach (var merge in model.GetProperty("merges").EnumerateArray())
        {
            (string, string) pair;
            if (merge.ValueKind == JsonValueKind.String)
            {
                var text = merge.GetString()!;
                int space = text.IndexOf(' ', 1);
                if (space < 0) throw new FormatException($"tokenizer.json: merge '{text}' is not 'left right'");
                pair = (text[..space], text[(space + 1)..]);
            }
            else
            {
                pair = (merge[0].GetString()!, merge[1].GetString()!);
            }
            ranks.TryAdd(pair, rank++);
        }
        bool ignoreMerges = model.TryGetProperty("ignore_merges", out var im) && im.ValueKind == JsonValueKind.True;
        int? unknownId = model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String && vocab.TryGetValue(unk.GetString()!, out int u) ? u : null;

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var special = new HashSet<int>();
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in addedTokens.EnumerateArray())
            {
                int id = token.GetProperty("id").GetInt32();
                added[token.GetProperty("content").GetString()!] = id;
                if (token.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True) special.Add(id);
            }
        }

        bool nfc = false;
        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object)
        {
            string kind = normalizer.GetProperty("type").GetString() ?? "";
            if (kind != "NFC") throw new NotSupportedException($"tokenizer.json: normalizer '{kind}' is not supported");
            nfc = true;
        }

        var patterns = new List<Regex>();
        bool addPrefixSpace = false;
        if (root.TryGetProperty("pre_tokenizer", out var pre) && pre.ValueKind == JsonValueKind.Object)
        {
            var steps = pre.GetProperty("type").GetString() == "Sequence" ? pre.GetProperty("pretokenizers").EnumerateArray().ToList() : [pre];
            foreach (var step in steps)
            {
                switch (step.GetProperty("type").GetString())
                {
                    case "Split":
                        var pattern = step.GetProperty("pattern");
                        string regex = pattern.TryGetProperty("Regex", out var r) ? r.GetString()! : Regex.Escape(pattern.GetProperty("String").GetString()!);
                        string behavior = step.TryGetProperty("behavior", out var b) ? b.GetString() ?? "Isolated" : "Isolated";
                        if (behavior != "Isolated" || (step.TryGetProperty("invert", out var inv) && inv.ValueKind == JsonValueKind.True))
                            throw new NotSupportedException($"tokenizer.json: Split behavior '{behavior}' is not supported (Isolated only)");
                        patterns.Add(new Regex(regex, RegexOptions.CultureInvariant));
                        break;
                    case "ByteLevel":
                        addPrefixSpace = step.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.True;
                        if (!step.TryGetProperty("use_regex", out var useRegex) || useRegex.ValueKind == JsonValueKind.True)
                            patterns.Add(new Regex(Gpt2Pattern, RegexOptions.CultureInvariant));
                        break;
                    case var other:
                        throw new NotSupportedException($"tokenizer.json: pre-tokenizer '{other}' is not supported");
                }
            }
        }
        return new BpeTokenizer(vocab, ranks, added, special, patterns, addPrefixSpace, ignoreMerges, nfc, unknownId);
    }

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        int position = 0;
        if (_addedSplitter is not null)
        {
            foreach (Match match in _addedSplitter.Matches(text))
            {
                EncodeOrdinary(text[position..match.Index], ids, position == 0);
                ids.Add(_addedTokens[match.Value]);
                position = match.Index + match.Length;
            }
        }
        EncodeOrdinary(text[position..], ids, position == 0);
        return ids.ToArray();
    }

    private void EncodeOrdinary(string text, List<int> ids, bool atStart)
    {
        if (text.Length == 0) return;
        if (_nfc) text = text.Normalize(NormalizationForm.FormC);
        if (_addPrefixSpace && atStart && text[0] != ' ') text = " " + text;
        IEnumerable<string> pieces = [text];
        foreach (var pattern in _splitPatterns) pieces = pieces.SelectMany(p => SplitIsolated(pattern, p));
        foreach (var piece in pieces) ids.AddRange(EncodeWord(ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(piece))));
    }

    /// <summary>Matches become pieces and so do the gaps between them ("Isolated").</summary>
    private static IEnumerable<string> SplitIsolated(Regex pattern, string text)
    {
        int last = 0;
        foreach (Match m in pattern.Matches(text))
        {
            if (m.Length == 0) continue;
            if (m.Index > last) yield return text[last..m.Index];
            yield return m.Value;
            last = m.Index + m.Length;
        }
        if (last < text.Length) yield return text[last..];
    }

    private int[] EncodeWord(string word)
    {
        lock (_cache)
        {
            if (_cache.TryGetValue(word, out var cached)) return cached;
        }
        int[] result;
        if (_ignoreMerges && _vocab.TryGetValue(word, out int whole))
        {
            result = [whole];
        }
        else
        {
            var symbols = new List<string>(word.Length);
            for (int i = 0; i < word.Length; i++)
            {
                int len = char.IsHighSurrogate(word[i]) && i + 1 < word.Length ? 2 : 1;
                symbols.Add(word.Substring(i, len));
                i += len - 1;
            }
            while (symbols.Count > 1)
            {
                int bestRank = int.MaxValue, bestIndex = -1;
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    if (_mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out int r) && r < bestRank)
                    {
                        bestRank = r;
                        bestIndex = i;
                    }
                }
                if (bestIndex < 0) break;
                string left = symbols[bestIndex], right = symbols[bestIndex + 1];
                var merged = new List<string>(symbols.Count);
                for (int i = 0; i < symbols.Count; i++)
                {
                    if (i + 1 < symbols.Count && symbols[i] == left && symbols[i + 1] == right)
                    {
                        merged.Add(left + right);
                        i++;
                    }
                    else
                    {
                        merged.Add(symbols[i]);
                    }
                }
                symbols = merged;
            }
            result = symbols.Select(s => _vocab.TryGetValue(s, out int id) ? id
                : _unknownId ?? throw new ArgumentException($"tokenizer: symbol '{s}' is not in the vocabulary and there is no unk_token")).ToArray();
        }
        lock (_cache)
        {
            if (_cache.Count < MaxCachedWords) _cache[word] = result;
        }
        return result;
    }

    public string Decode(IReadOnlyList<int> ids) => Decode(ids, skipSpecialTokens: false);

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)_tokenOfId.Length || _tokenOfId[id] is not { } token) continue;
            if (_specialIds.Contains(id) && skipSpecialTokens) continue;
            if (_addedTokens.ContainsKey(token) && !_vocab.ContainsKey(token))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
                continue;
            }
            foreach (char c in token)
            {
                if (ByteLevelAlphabet.TryDecode(c, out byte b)) bytes.Add(b);
                else bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
