using System.Diagnostics;
using System.Text.Json.Nodes;
using P2P.Networking.Tests.Noise;

namespace P2P.Interop;

/// <summary>The Noise golden vectors, recomputed live by js (@noble primitives) from the same fixed keys.</summary>
public sealed class NoiseCrossCheckTests
{
    [JsFact]
    public async Task Js_ComputesTheSameHandshakeBytesAsCSharp()
    {
        var js = JsPeer.FindJsDirectory()!;
        var info = new ProcessStartInfo(JsPeer.NodePath(js), "noise-vectors.mjs") { WorkingDirectory = js, RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync();
        var vectors = JsonNode.Parse(output)!.AsObject();
        var computed = NoiseVectorTests.Compute();
        Assert.Equal(vectors["msg1"]!.GetValue<string>(), computed.M1);
        Assert.Equal(vectors["msg2"]!.GetValue<string>(), computed.M2);
        Assert.Equal(vectors["msg3"]!.GetValue<string>(), computed.M3);
        Assert.Equal(vectors["handshakeHash"]!.GetValue<string>(), computed.Hash);
        Assert.Equal(vectors["initiatorFirst"]!.GetValue<string>(), computed.InitiatorFirst);
        Assert.Equal(vectors["responderFirst"]!.GetValue<string>(), computed.ResponderFirst);
    }
}
