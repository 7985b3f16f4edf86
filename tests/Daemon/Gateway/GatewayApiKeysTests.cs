using P2P.Daemon.Gateway.Access;

namespace P2P.Daemon.Tests.Gateway;

/// <summary>The key file's format (plain keys, <c>sha256:</c> digests, comments) and matching.</summary>
public sealed class GatewayApiKeysTests
{
    private const string KeyA = "sk-test-aaaaaaaaaaaaaaaaaaaaaaaa";
    private const string KeyB = "sk-test-bbbbbbbbbbbbbbbbbbbbbbbb";

    [Fact]
    public void Parse_PlainAndHashedKeys_MatchByPosition()
    {
        var keys = GatewayApiKeys.Parse($"# gateway keys\n{KeyA}\n\n  {GatewayApiKeys.HashLine(KeyB)}  \r\n");

        Assert.Equal(2, keys.Count);
        Assert.Equal(0, keys.Match(KeyA));
        Assert.Equal(1, keys.Match(KeyB));
        Assert.Equal(-1, keys.Match(KeyA.AsSpan(0, KeyA.Length - 1)));
        Assert.Equal(-1, keys.Match(KeyA + "x"));
        Assert.Equal(-1, keys.Match(""));
        Assert.Equal(-1, keys.Match(GatewayApiKeys.HashLine(KeyB)));
    }

    [Fact]
    public void HashLine_IsSha256InLowerHex()
    {
        // sha256("abc"), FIPS 180-2's example.
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", GatewayApiKeys.HashLine("abc"));
    }

    [Theory]
    [InlineData("# nothing but comments\n\n", "lists no key")]
    [InlineData("short-key\n", "line 1: the key is 9 characters; at least 20 are required")]
    [InlineData("# c\nsha256:abcd\n", "line 2: a 'sha256:' line needs 64 hex digits")]
    [InlineData("sk-test-aaaaaaaa bbbbbbbbbbbbbbbb\n", "line 1: a key has no spaces")]
    public void Parse_BadFiles_SayWhichLineAndWhy(string text, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => GatewayApiKeys.Parse(text));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("sk-test", error.Message);
    }
}
