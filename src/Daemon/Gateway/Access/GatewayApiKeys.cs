using System.Security.Cryptography;
using System.Text;

namespace P2P.Daemon.Gateway.Access;

/// <summary>
/// The bearer keys accepted on <c>/v1/*</c>. Only SHA-256 digests are kept, so every comparison is between 32-byte
/// values whatever the guess's length, and a key file may hold digests (<c>sha256:&lt;hex&gt;</c>) instead of keys.
/// </summary>
public sealed class GatewayApiKeys
{
    public const string HashPrefix = "sha256:";

    /// <summary>Shorter keys are refused: 20 random characters are beyond online guessing; generated keys should be longer.</summary>
    public const int MinKeyLength = 20;

    public const int MaxKeyLength = 512;

    private const int MaxFileBytes = 1 << 20;

    private const int MaxKeys = 10_000;

    private readonly byte[][] _digests;

    public GatewayApiKeys(IEnumerable<byte[]> digests)
    {
        _digests = [.. digests];
        if (_digests.Length == 0) throw new ArgumentException("no keys", nameof(digests));
        if (_digests.Any(d => d.Length != SHA256.HashSizeInBytes)) throw new ArgumentException("a digest is not 32 bytes", nameof(digests));
    }

    public int Count => _digests.Length;

    /// <summary>One key per line; blank lines and lines starting with <c>#</c> are ignored.</summary>
    /// <exception cref="InvalidDataException">the file is too large, lists no key, or a line is not a usable key.</exception>
    public static GatewayApiKeys Read(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes) throw new InvalidDataException($"{path} is {length} bytes; an API keys file is at most {MaxFileBytes}");
        return Parse(File.ReadAllText(path));
    }

    /// <exception cref="InvalidDataException">no key, too many, or a line is not a usable key (the line number is named, never the line).</exception>
    public static GatewayApiKeys Parse(string text)
    {
        var digests = new List<byte[]>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            digests.Add(DigestOf(line, i + 1));
            if (digests.Count > MaxKeys) throw new InvalidDataException($"more than {MaxKeys} keys");
        }
        if (digests.Count == 0) throw new InvalidDataException("the file lists no key (one per line; '#' starts a comment)");
        return new GatewayApiKeys(digests);
    }

    /// <summary>The index of the key <paramref name="candidate"/> is, or -1. Every stored digest is compared, in constant time each.</summary>
    public int Match(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length is 0 or > MaxKeyLength) return -1;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(candidate.ToArray()), digest);
        var match = -1;
        for (var i = 0; i < _digests.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, _digests[i]) && match < 0) match = i;
        }
        return match;
    }

    /// <summary>The line that <paramref name="key"/> becomes in a keys file that holds digests only.</summary>
    public static string HashLine(string key) => HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static byte[] DigestOf(string line, int number)
    {
        if (line.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var hex = line[HashPrefix.Length..];
            if (hex.Length != 2 * SHA256.HashSizeInBytes || !hex.All(char.IsAsciiHexDigit))
                throw new InvalidDataException($"line {number}: a '{HashPrefix}' line needs 64 hex digits");
            return Convert.FromHexString(hex);
        }
        if (line.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) throw new InvalidDataException($"line {number}: a key has no spaces or control characters");
        if (line.Length < MinKeyLength) throw new InvalidDataException($"line {number}: the key is {line.Length} characters; at least {MinKeyLength} are required");
        if (line.Length > MaxKeyLength) throw new InvalidDataException($"line {number}: the key is longer than {MaxKeyLength} characters");
        return SHA256.HashData(Encoding.UTF8.GetBytes(line));
    }
}
