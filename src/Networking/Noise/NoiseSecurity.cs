using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using P2P.Networking.Identity;
using P2P.Networking.Noise.Protos;
using P2P.Networking.Streams;

namespace P2P.Networking.Noise;

/// <summary>The libp2p Noise security protocol (<c>/noise</c>): XX handshake with signed identity payloads.</summary>
public sealed class NoiseSecurity
{
    public const string ProtocolId = "/noise";
    private const string SignaturePrefix = "noise-libp2p-static-key:";
    private const int MaxPayloadLength = 8192;

    private readonly PrivateKey _identity;
    private readonly X25519KeyPair _static;

    /// <param name="staticKey">The Noise static key; a fresh one per host when null (it need not persist).</param>
    public NoiseSecurity(PrivateKey identity, X25519KeyPair? staticKey = null)
    {
        _identity = identity;
        _static = staticKey ?? X25519KeyPair.Generate();
    }

    /// <summary>The signed payload proving that our identity key owns our static Noise key.</summary>
    internal byte[] CreatePayload()
    {
        var toSign = System.Text.Encoding.ASCII.GetBytes(SignaturePrefix).Concat(_static.PublicKey).ToArray();
        return new NoiseHandshakePayload
        {
            IdentityKey = ByteString.CopyFrom(_identity.PublicKey.Marshal()),
            IdentitySig = ByteString.CopyFrom(_identity.Sign(toSign)),
        }.ToByteArray();
    }

    /// <summary>Checks the payload's signature over the remote static key; returns the remote identity key.</summary>
    /// <exception cref="NoiseHandshakeException">malformed payload, bad signature or unexpected peer.</exception>
    internal static PublicKey VerifyPayload(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> remoteStatic, PeerId? expectedPeer)
    {
        if (payload.Length > MaxPayloadLength)
        {
            throw new NoiseHandshakeException($"noise payload of {payload.Length} bytes");
        }
        NoiseHandshakePayload message;
        PublicKey key;
        try
        {
            message = NoiseHandshakePayload.Parser.ParseFrom(payload);
            key = PublicKey.Unmarshal(message.IdentityKey.Span);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
        {
            throw new NoiseHandshakeException("malformed noise handshake payload", e);
        }
        var signed = System.Text.Encoding.ASCII.GetBytes(SignaturePrefix).Concat(remoteStatic.ToArray()).ToArray();
        if (!key.Verify(signed, message.IdentitySig.Span))
        {
            throw new NoiseHandshakeException("noise handshake payload signature is invalid");
        }
        var peer = key.ToPeerId();
        if (expectedPeer is not null && peer != expectedPeer)
        {
            throw new NoiseHandshakeException($"remote is {peer}, expected {expectedPeer}");
        }
        return key;
    }

    /// <summary>Runs the handshake as initiator (dialer).</summary>
    public async Task<NoiseSecureChannel> SecureOutboundAsync(IDuplexPipe pipe, PeerId? expectedPeer, CancellationToken cancellationToken)
    {
        var handshake = new NoiseXXHandshake(initiator: true, _static);
        try
        {
            await WriteFrameAsync(pipe.Output, handshake.WriteMessage1([]), cancellationToken).ConfigureAwait(false);
            var message2 = await ReadFrameAsync(pipe.Input, cancellationToken).ConfigureAwait(false);
            var payload = Decrypt(() => handshake.ReadMessage2(message2));
            var remoteKey = VerifyPayload(payload, handshake.RemoteStaticKey!, expectedPeer);
            await WriteFrameAsync(pipe.Output, handshake.WriteMessage3(CreatePayload()), cancellationToken).ConfigureAwait(false);
            var (send, receive) = handshake.Split();
            return new NoiseSecureChannel(pipe, send, receive, remoteKey);
        }
        finally
        {
            handshake.Dispose();
        }
    }

    /// <summary>Runs the handshake as responder (listener).</summary>
    public async Task<NoiseSecureChannel> SecureInboundAsync(IDuplexPipe pipe, CancellationToken cancellationToken)
    {
        var handshake = new NoiseXXHandshake(initiator: false, _static);
        try
        {
            var message1 = await ReadFrameAsync(pipe.Input, cancellationToken).ConfigureAwait(false);
            Decrypt(() => handshake.ReadMessage1(message1));
            await WriteFrameAsync(pipe.Output, handshake.WriteMessage2(CreatePayload()), cancellationToken).ConfigureAwait(false);
            var message3 = await ReadFrameAsync(pipe.Input, cancellationToken).ConfigureAwait(false);
            var payload = Decrypt(() => handshake.ReadMessage3(message3));
            var remoteKey = VerifyPayload(payload, handshake.RemoteStaticKey!, expectedPeer: null);
            var (send, receive) = handshake.Split();
            return new NoiseSecureChannel(pipe, send, receive, remoteKey);
        }
        finally
        {
            handshake.Dispose();
        }
    }

    private static byte[] Decrypt(Func<byte[]> read)
    {
        try
        {
            return read();
        }
        catch (ProtocolViolationException e)
        {
            throw new NoiseHandshakeException(e.Message, e);
        }
    }

    private static async ValueTask WriteFrameAsync(PipeWriter writer, byte[] message, CancellationToken cancellationToken)
    {
        var span = writer.GetSpan(2 + message.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span, checked((ushort)message.Length));
        message.CopyTo(span[2..]);
        writer.Advance(2 + message.Length);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ushort ReadLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> lengthBytes = stackalloc byte[2];
        buffer.Slice(0, 2).CopyTo(lengthBytes);
        return BinaryPrimitives.ReadUInt16BigEndian(lengthBytes);
    }

    private static async ValueTask<byte[]> ReadFrameAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= 2)
            {
                var length = ReadLength(buffer);
                if (buffer.Length >= 2 + length)
                {
                    var message = buffer.Slice(2, length).ToArray();
                    reader.AdvanceTo(buffer.GetPosition(2 + length));
                    return message;
                }
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                throw new NoiseHandshakeException("connection closed during the noise handshake");
            }
        }
    }
}
