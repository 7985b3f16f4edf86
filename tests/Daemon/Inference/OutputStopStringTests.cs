using System.Text;
using P2P.Daemon.Gateway;
using P2P.Inference.Models;
using P2P.Inference.Tokenizers;
using P2P.InferenceNetwork.Protocol;

namespace P2P.Daemon.Tests.Inference;

/// <summary>Stop strings in a stream: text that may start one is held back, never sent when the stop matches, released when it cannot.</summary>
public sealed class OutputStopStringTests
{
    private static readonly GatewayModel Bytes = new("id", "tiny", ModelLoader.LoadConfig("seed:preset=tiny,seed=3"), new ByteTokenizer(), null);

    [Fact]
    public void StopStringSpanningThreeTokens_IsNeverStreamed()
    {
        var output = new Output(Bytes, ["END"]);
        var chunks = Feed(output, "The END is near");

        Assert.Equal(["T", "h", "e", " ", "", "", ""], chunks);
        Assert.Equal("The ", output.Text);
        Assert.Equal("stop", output.FinishReason);
        Assert.Equal(7, output.Tokens.Count);
    }

    [Fact]
    public void HeldPrefixThatStopsMatching_IsReleasedWithTheTokenThatBrokeIt()
    {
        var output = new Output(Bytes, ["END", "x!"]);
        var chunks = Feed(output, "ENx");
        output.Complete("length");

        // "E", "EN" may start "END"; "ENx" ends in "x", which may start "x!" until generation ends.
        Assert.Equal(["", "", "EN", "x"], chunks.Append(output.TakeReleased()));
        Assert.Equal("ENx", output.Text);
        Assert.Equal("length", output.FinishReason);
    }

    [Fact]
    public void IncompleteUtf8_IsHeldUntilItsLastByte()
    {
        var output = new Output(Bytes, []);
        var chunks = Feed(output, "aé");

        Assert.Equal(["a", "", "é"], chunks);
        Assert.Equal("aé", output.Text);
    }

    private static List<string> Feed(Output output, string text)
    {
        var chunks = new List<string>();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (output.FinishReason is not null) break;
            output.Add(new InferResponse { Kind = InferKinds.Token, Token = b });
            chunks.Add(output.TakeReleased());
        }
        return chunks;
    }
}
