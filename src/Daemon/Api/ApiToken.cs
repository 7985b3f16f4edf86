using System.Security.Cryptography;
using System.Text;
using P2P.Networking.Identity;

namespace P2P.Daemon.Api;

/// <summary>The bearer token that state-changing API calls must present; stored in the data directory with mode 0600.</summary>
public sealed class ApiToken
{
    private readonly byte[] _utf8;

    /// <summary>Shorter tokens are refused: 32 characters of base64url carry 192 bits, beyond any online guessing.</summary>
    public const int MinLength = 32;

    public ApiToken(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("the API token is empty", nameof(value));
        if (value.Length < MinLength)
            throw new ArgumentException($"the API token is {value.Length} characters; at least {MinLength} are required", nameof(value));
        Value = value;
        _utf8 = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    public static ApiToken Generate() =>
        new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    private const int MaxFileBytes = 4096;

    public static ApiToken Read(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes) throw new InvalidDataException($"{path} is {length} bytes; an API token file is at most {MaxFileBytes}");
        var text = File.ReadAllText(path).Trim();
        if (text.Length < MinLength)
            throw new InvalidDataException($"the token is {text.Length} characters, at least {MinLength} are required; delete the file and run 'p2pd init' to write a new one");
        return new(text);
    }

    public void Write(string path, bool overwrite) => SecretFile.Write(path, Encoding.UTF8.GetBytes(Value + "\n"), overwrite);

    /// <summary>Constant-time comparison, so response timing does not reveal how much of a guess was right.</summary>
    public bool Matches(ReadOnlySpan<char> candidate)
    {
        var bytes = Encoding.UTF8.GetBytes(candidate.ToArray());
        return CryptographicOperations.FixedTimeEquals(bytes, _utf8);
    }
}
