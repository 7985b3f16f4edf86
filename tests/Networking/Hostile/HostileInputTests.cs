using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using Google.Protobuf;
using P2P.Networking.Encoding;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multistream;
using P2P.Networking.Noise;
using P2P.Networking.Noise.Protos;
using P2P.Networking.Tests.Host;
using P2P.Networking.Transport;
using P2P.Networking.Yamux;

namespace P2P.Networking.Tests.Hostile;

/// <summary>
/// Malformed input at every layer: each closes only the offending connection with a logged reason,
/// and the node keeps serving a well-behaved peer afterwards.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly ListLoggerFactory _logs = new();
    private Libp2pHost _target = null!;
    private Libp2pHost _friend = null!;

    public async Task InitializeAsync()
    {
        _target = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] }, _logs);
        _target.SetStreamHandler(TestHosts.EchoProtocol, TestHosts.EchoAsync);
        await _target.StartAsync();
        _friend = await TestHosts.StartAsync();
        await _friend.DialAsync(_target.ListenAddresses[0].WithPeerId(_target.LocalPeerId)).WaitAsync(Limit);
    }

    public async Task DisposeAsync()
    {
        await _friend.DisposeAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public async Task RandomBytes_CloseTheConnection()
    {
        var garbage = new byte[4096];
        new Random(42).NextBytes(garbage);
        garbage[0] = 0x20; // a plausible length so the parser reads on into the garbage
        await using var raw = await ConnectRawAsync();
        await raw.Output.WriteAsync(garbage);
        await AssertClosedAsync(raw.Input);
        await _logs.WaitForAsync("inbound connection from", Limit);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task OversizedVarint_ClosesTheConnection()
    {
        await using var raw = await ConnectRawAsync();
        await raw.Output.WriteAsync(Enumerable.Repeat((byte)0xff, 12).ToArray());
        await AssertClosedAsync(raw.Input);
        await _logs.WaitForAsync("malformed message length", Limit);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MultistreamLineOver1KiB_ClosesTheConnection()
    {
        await using var raw = await ConnectRawAsync();
        MultistreamMessage.Write(raw.Output, MultistreamMessage.Header);
        var line = System.Text.Encoding.ASCII.GetBytes("/" + new string('x', 1100) + "\n");
        var length = Varint.Encode((ulong)line.Length);
        await raw.Output.WriteAsync(length.Concat(line).ToArray());
        await AssertClosedAsync(raw.Input);
        await _logs.WaitForAsync("exceeds the limit of 1024", Limit);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task NoisePayloadWithABadSignature_ClosesTheConnection()
    {
        await using var raw = await ConnectRawAsync();
        await MultistreamSelect.SelectAsync(raw, [NoiseSecurity.ProtocolId], CancellationToken.None).WaitAsync(Limit);
        var staticKey = X25519KeyPair.Generate();
        using var handshake = new NoiseXXHandshake(true, staticKey);
        await WriteFrameAsync(raw.Output, handshake.WriteMessage1([]));
        handshake.ReadMessage2(await ReadFrameAsync(raw.Input));
        var identity = Ed25519PrivateKey.Generate();
        var forger = Ed25519PrivateKey.Generate();
        var payload = new NoiseHandshakePayload
        {
            IdentityKey = ByteString.CopyFrom(identity.PublicKey.Marshal()),
            IdentitySig = ByteString.CopyFrom(forger.Sign([.. "noise-libp2p-static-key:"u8, .. staticKey.PublicKey])),
        };
        await WriteFrameAsync(raw.Output, handshake.WriteMessage3(payload.ToByteArray()));
        await AssertClosedAsync(raw.Input);
        await _logs.WaitForAsync("signature is invalid", Limit);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task NoiseTruncatedCiphertext_ClosesTheConnection()
    {
        await using var raw = await ConnectRawAsync();
        await MultistreamSelect.SelectAsync(raw, [NoiseSecurity.ProtocolId], CancellationToken.None).WaitAsync(Limit);
        using var handshake = new NoiseXXHandshake(true, X25519KeyPair.Generate());
        await WriteFrameAsync(raw.Output, handshake.WriteMessage1([]));
        handshake.ReadMessage2(await ReadFrameAsync(raw.Input));
        var message3 = handshake.WriteMessage3(new NoiseSecurity(Ed25519PrivateKey.Generate()).CreatePayload());
        await WriteFrameAsync(raw.Output, message3[..40]);
        await AssertClosedAsync(raw.Input);
        await _logs.WaitForAsync("noise message 3", Limit);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task YamuxFrameOfUnknownType_ClosesTheConnection()
    {
        await using var evil = await ConnectSecuredAsync();
        await evil.Channel.Output.WriteAsync(Convert.FromHexString("000700000000000100000000"));
        await AssertClosedAsync(evil.Channel.Input);
        await _logs.WaitForAsync("unknown yamux frame type 7", Limit);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task YamuxWindowOverrun_ClosesTheConnection()
    {
        await using var evil = await ConnectSecuredAsync();
        new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0).Write(evil.Channel.Output.GetSpan(12));
        evil.Channel.Output.Advance(12);
        const int overrun = YamuxOptions.InitialWindow + 1024;
        new YamuxHeader(YamuxFrameType.Data, YamuxFlags.None, 1, overrun).Write(evil.Channel.Output.GetSpan(12));
        evil.Channel.Output.Advance(12);
        try
        {
            await evil.Channel.Output.WriteAsync(new byte[overrun]);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The target closes as soon as the window is overrun, which can be before the last of these bytes is written.
        }
        await AssertClosedAsync(evil.Channel.Input);
        await _logs.WaitForAsync("overrun the receive window", Limit);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task YamuxStreamIdOfTheWrongParity_ClosesTheConnection()
    {
        await using var evil = await ConnectSecuredAsync();
        // We dialled, so we are the yamux client and must use odd ids.
        await evil.Channel.Output.WriteAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 2, 0).ToBytes());
        await AssertClosedAsync(evil.Channel.Input);
        await _logs.WaitForAsync("with our parity", Limit);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task PingFloodFromAPeerThatDoesNotRead_ClosesTheConnection()
    {
        await using var evil = await ConnectSecuredAsync();
        var flood = new byte[12 * 1000];
        for (var i = 0; i < 1000; i++)
        {
            new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Syn, 0, (uint)i).Write(flood.AsSpan(i * 12));
        }
        // Never read: our socket's receive buffer and the target's send buffer fill, pongs queue up.
        for (var round = 0; round < 200 && !_logs.Lines.Any(l => l.Contains("does not read", StringComparison.Ordinal)); round++)
        {
            try
            {
                await evil.Channel.Output.WriteAsync(flood).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is IOException or SocketException or TimeoutException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }
        }
        await _logs.WaitForAsync("does not read its", Limit);
        await AssertStillServingAsync();
    }

    private async Task AssertStillServingAsync()
    {
        var rtt = await _friend.Ping.PingAsync(_target.LocalPeerId).WaitAsync(Limit);
        Assert.True(rtt > TimeSpan.Zero);
        await using var stranger = await TestHosts.StartAsync();
        await using var stream = await stranger.DialAsync(_target.ListenAddresses[0].WithPeerId(_target.LocalPeerId))
            .ContinueWith(t => t.Result.OpenStreamAsync([TestHosts.EchoProtocol])).Unwrap().WaitAsync(Limit);
        Assert.Equal([9, 8, 7], await TestHosts.RoundTripAsync(stream, [9, 8, 7], CancellationToken.None).WaitAsync(Limit));
        Assert.False(Assert.Single(_target.GetConnections(_friend.LocalPeerId)).IsClosed);
    }

    private async Task<SocketPipe> ConnectRawAsync() => await TcpTransport.DialAsync(_target.ListenAddresses[0], CancellationToken.None).WaitAsync(Limit);

    private async Task<EvilConnection> ConnectSecuredAsync()
    {
        var raw = await ConnectRawAsync();
        await MultistreamSelect.SelectAsync(raw, [NoiseSecurity.ProtocolId], CancellationToken.None).WaitAsync(Limit);
        var secure = await new NoiseSecurity(Ed25519PrivateKey.Generate()).SecureOutboundAsync(raw, _target.LocalPeerId, CancellationToken.None).WaitAsync(Limit);
        await MultistreamSelect.SelectAsync(secure, [YamuxSession.ProtocolId], CancellationToken.None).WaitAsync(Limit);
        return new EvilConnection(raw, secure);
    }

    /// <summary>Reads until the remote closes; fails if it keeps the connection open.</summary>
    private static async Task AssertClosedAsync(PipeReader input)
    {
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // reset by the remote also counts as closed
        }
    }

    private static async Task WriteFrameAsync(PipeWriter output, byte[] message)
    {
        var frame = new byte[2 + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)message.Length);
        message.CopyTo(frame, 2);
        await output.WriteAsync(frame);
    }

    private static async Task<byte[]> ReadFrameAsync(PipeReader input)
    {
        var header = await input.ReadAtLeastAsync(2);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header.Buffer.Slice(0, 2).ToArray());
        input.AdvanceTo(header.Buffer.Start); // nothing examined: the whole frame may already be buffered
        var full = await input.ReadAtLeastAsync(2 + length);
        var message = full.Buffer.Slice(2, length).ToArray();
        input.AdvanceTo(full.Buffer.GetPosition(2 + length));
        return message;
    }

    private sealed class EvilConnection(SocketPipe raw, NoiseSecureChannel channel) : IAsyncDisposable
    {
        public NoiseSecureChannel Channel => channel;

        public async ValueTask DisposeAsync()
        {
            await raw.DisposeAsync();
            await channel.DisposeAsync();
        }
    }
}
