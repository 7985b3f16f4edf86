using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using P2P.Networking.Identity;
using P2P.Networking.Noise;

namespace P2P.Networking.Tests.Noise;

/// <summary>Transport-phase framing: writes encrypted straight from the caller's memory still fill frames and decrypt in order.</summary>
public sealed class NoiseTransportFramingTests
{
    [Fact]
    public async Task HeaderThenLargeWrite_GivesFullFramesThatDecryptToTheSameBytes()
    {
        var (initiator, responder) = Handshake();
        var (initiatorSend, _) = initiator.Split();
        var (_, responderReceive) = responder.Split();
        var wire = new Pipe(new PipeOptions(pauseWriterThreshold: 0)); // read only after everything is written
        var identity = Ed25519PrivateKey.FromSeed(NoiseVectorTests.Key(0x81)).PublicKey;
        var sender = new NoiseSecureChannel(new Duplex(new Pipe().Reader, wire.Writer), initiatorSend, new CipherState(), identity);

        var header = Enumerable.Range(0, 12).Select(i => (byte)(0xf0 + i)).ToArray();
        var payload = new byte[200_000];
        new Random(7).NextBytes(payload);
        header.CopyTo(sender.Output.GetSpan(12));
        sender.Output.Advance(12);
        await sender.Output.WriteAsync(payload);
        await sender.Output.WriteAsync(payload.AsMemory(0, 10)); // a small write after the flush opens a new frame
        await wire.Writer.CompleteAsync();

        var raw = await ReadAllAsync(wire.Reader);
        var frameLengths = new List<int>();
        for (var offset = 0; offset < raw.Length; offset += 2 + frameLengths[^1])
        {
            frameLengths.Add(BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(offset)));
        }
        var total = 12 + payload.Length;
        Assert.Equal([65535, 65535, 65535, total - 3 * NoiseSecureChannel.MaxPlaintext + 16, 10 + 16], frameLengths);

        var receiverWire = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await receiverWire.Writer.WriteAsync(raw);
        await receiverWire.Writer.CompleteAsync();
        var receiver = new NoiseSecureChannel(new Duplex(receiverWire.Reader, new Pipe().Writer), new CipherState(), responderReceive, identity);
        var plain = await ReadAllAsync(receiver.Input);
        Assert.Equal(header.Concat(payload).Concat(payload.Take(10)).ToArray(), plain);
    }

    private static (NoiseXXHandshake Initiator, NoiseXXHandshake Responder) Handshake()
    {
        var initiator = new NoiseXXHandshake(true, X25519KeyPair.FromPrivateKey(NoiseVectorTests.Key(0x01)), X25519KeyPair.FromPrivateKey(NoiseVectorTests.Key(0x21)));
        var responder = new NoiseXXHandshake(false, X25519KeyPair.FromPrivateKey(NoiseVectorTests.Key(0x41)), X25519KeyPair.FromPrivateKey(NoiseVectorTests.Key(0x61)));
        responder.ReadMessage1(initiator.WriteMessage1([]));
        initiator.ReadMessage2(responder.WriteMessage2([]));
        responder.ReadMessage3(initiator.WriteMessage3([]));
        return (initiator, responder);
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        var all = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                all.Write(segment.Span);
            }
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return all.WrittenSpan.ToArray();
            }
        }
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
