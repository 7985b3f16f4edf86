using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Host;
using P2P.Networking.RequestResponse;
using P2P.Networking.Streams;
using P2P.Networking.Tests.Host;
using P2P.Simulation;
using P2P.Testing;

namespace P2P.Networking.Tests.RequestResponse;

/// <summary>Typed request/response and streaming protocols between real hosts on 127.0.0.1.</summary>
public sealed class TypedRequestResponseTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static RequestResponseDefinition<string, string> Definition(string id = "/p2pd/greet/1", int perPeer = 8, int maxResponses = 4096,
        TimeSpan? timeout = null) =>
        new(id, new Utf8Codec(), new Utf8Codec(), new RequestResponseOptions
        {
            MaxConcurrentPerPeer = perPeer,
            MaxResponseMessages = maxResponses,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    private static async Task<(Libp2pHost A, Libp2pHost B)> PairAsync(TimeProvider? time = null)
    {
        var a = await TestHosts.StartAsync(time: time);
        var b = await TestHosts.StartAsync(time: time);
        a.Peers.AddAddresses(b.LocalPeerId, b.ListenAddresses, TimeSpan.FromMinutes(1));
        return (a, b);
    }

    [Fact]
    public async Task TypedRequest_GetsTheDecodedResponseAndBadBytesAreAViolation()
    {
        var (a, b) = await PairAsync();
        await using var _ = a;
        await using var __ = b;
        var factoryOfB = new HostRequestResponseFactory(b);
        using var serving = factoryOfB.Create(Definition()).Serve((peer, name, _) => Task.FromResult($"hello {name}, {(peer == a.LocalPeerId ? "a" : "?")}"));
        var client = new HostRequestResponseFactory(a).Create(Definition());
        Assert.Equal("hello bob, a", await client.RequestAsync(b.LocalPeerId, "bob").WaitAsync(Limit));

        // A server answering bytes that are not UTF-8: the client's codec rejects them as a protocol violation.
        new RequestResponseProtocol(b, "/p2pd/garbled/1").Handle((_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[] { 0xff, 0xfe }));
        var garbled = new RequestResponseProtocol<string, string>(a, Definition("/p2pd/garbled/1"));
        var violation = await Assert.ThrowsAsync<ProtocolViolationException>(() => garbled.RequestAsync(b.LocalPeerId, "x").WaitAsync(Limit));
        Assert.Contains("undecodable response", violation.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => client.RequestAsync(b.LocalPeerId, new string('x', 2000)));
    }

    [Fact]
    public async Task RequestsOverThePerPeerLimit_AreRefusedAtOnce()
    {
        var (a, b) = await PairAsync();
        await using var _ = a;
        await using var __ = b;
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new RequestResponseProtocol<string, string>(b, Definition(perPeer: 2));
        using var serving = server.Serve((_, _, _) => release.Task);
        var client = new RequestResponseProtocol<string, string>(a, Definition(perPeer: 2));
        var held = new[] { client.RequestAsync(b.LocalPeerId, "1"), client.RequestAsync(b.LocalPeerId, "2") };
        Assert.True(await Wait.UntilAsync(() => server.ActiveInbound == 2, Limit));

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => client.RequestAsync(b.LocalPeerId, "3").WaitAsync(Limit));
        Assert.Contains("without answering", refusal.Message);
        release.SetResult("done");
        Assert.Equal(["done", "done"], await Task.WhenAll(held).WaitAsync(Limit));
        Assert.Equal("done", await client.RequestAsync(b.LocalPeerId, "4").WaitAsync(Limit)); // slots are given back
    }

    [Fact]
    public async Task StreamingRequest_YieldsEveryResponseAndAbandoningItStopsTheServer()
    {
        var (a, b) = await PairAsync();
        await using var _ = a;
        await using var __ = b;
        var serverStopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The server may send far more than the client reads: the endless producer is held back only by the stream's flow
        // control window until the client's reset arrives. (Under its own cap it would reset first, and a reset discards
        // what the client had not read yet.)
        var server = new StreamingRequestResponseProtocol<string, string>(b, Definition("/p2pd/tokens/1", maxResponses: int.MaxValue));
        using var serving = server.Serve((_, prompt, ct) => TokensAsync(prompt, prompt == "endless" ? int.MaxValue : 5, serverStopped, ct));
        var client = new StreamingRequestResponseProtocol<string, string>(a, Definition("/p2pd/tokens/1", maxResponses: 100));

        var tokens = new List<string>();
        await foreach (var token in client.RequestAsync(b.LocalPeerId, "count").WithCancellation(new CancellationTokenSource(Limit).Token))
        {
            tokens.Add(token);
        }
        Assert.Equal(["count 0", "count 1", "count 2", "count 3", "count 4"], tokens);

        serverStopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var read = 0;
        await foreach (var token in client.RequestAsync(b.LocalPeerId, "endless").WithCancellation(new CancellationTokenSource(Limit).Token))
        {
            if (++read == 3)
            {
                break;
            }
        }
        Assert.True(await serverStopped.Task.WaitAsync(Limit)); // the reset reached the server and cancelled its producer
        Assert.True(await Wait.UntilAsync(() => server.ActiveInbound == 0, Limit));
    }

    [Fact]
    public async Task MoreResponsesThanTheClientAllows_AreAViolation()
    {
        var (a, b) = await PairAsync();
        await using var _ = a;
        await using var __ = b;
        using var serving = new StreamingRequestResponseProtocol<string, string>(b, Definition("/p2pd/tokens/1", maxResponses: 100))
            .Serve((_, prompt, ct) => TokensAsync(prompt, 10, new TaskCompletionSource<bool>(), ct));
        var strict = new StreamingRequestResponseProtocol<string, string>(a, Definition("/p2pd/tokens/1", maxResponses: 3));
        var received = 0;
        await Assert.ThrowsAsync<ProtocolViolationException>(async () =>
        {
            await foreach (var token in strict.RequestAsync(b.LocalPeerId, "many").WithCancellation(new CancellationTokenSource(Limit).Token))
            {
                received++;
            }
        });
        Assert.Equal(3, received);
    }

    /// <summary>Golden bytes of the streaming answer: 0x00 (accepted), length-prefixed responses, end of stream; a refusal is no byte at all.</summary>
    [Fact]
    public async Task StreamingAnswerOnTheWire_IsTheAcceptedByteThenLengthPrefixedResponses()
    {
        var (a, b) = await PairAsync();
        await using var _ = a;
        await using var __ = b;
        var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new StreamingRequestResponseProtocol<string, string>(b, Definition("/p2pd/tokens/1", perPeer: 1));
        using var serving = server.Serve((_, prompt, ct) => prompt == "hold" ? HoldAsync(release.Task, ct) : TokensAsync(prompt, 2, new TaskCompletionSource<bool>(), ct));

        // 00 | 04 "hi 0" | 04 "hi 1" | end of stream
        Assert.Equal("0004686920300468692031", Convert.ToHexString(await RawExchangeAsync(a, b, "hi")).ToLowerInvariant());

        var held = RawExchangeAsync(a, b, "hold");
        Assert.True(await Wait.UntilAsync(() => server.ActiveInbound == 1, Limit));
        Assert.Empty(await RawExchangeAsync(a, b, "refused?")); // over the per-peer limit of 1: closed without a byte
        release.SetResult(true);
        Assert.Equal("00", Convert.ToHexString(await held.WaitAsync(Limit)).ToLowerInvariant()); // accepted, no responses
    }

    private static async IAsyncEnumerable<string> HoldAsync(Task release, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await release.WaitAsync(cancellationToken);
        yield break;
    }

    /// <summary>Sends a request the way the client does and returns every byte of the answer up to the end of the stream.</summary>
    private static async Task<byte[]> RawExchangeAsync(Libp2pHost client, Libp2pHost server, string request)
    {
        await using var stream = await client.OpenStreamAsync(server.LocalPeerId, ["/p2pd/tokens/1"]).WaitAsync(Limit);
        await LengthPrefixed.WriteAsync(stream.Output, System.Text.Encoding.UTF8.GetBytes(request), CancellationToken.None);
        await stream.CloseWriteAsync();
        var answer = new MemoryStream();
        await stream.Input.CopyToAsync(answer).WaitAsync(Limit);
        return answer.ToArray();
    }

    private static async IAsyncEnumerable<string> TokensAsync(string prompt, int count, TaskCompletionSource<bool> stopped, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return $"{prompt} {i}";
                await Task.Yield();
            }
        }
        finally
        {
            stopped.TrySetResult(true);
        }
    }

    [Fact]
    public async Task TheTimeout_RunsOnTheHostsClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (a, b) = await PairAsync(time);
        try
        {
            var server = new RequestResponseProtocol<string, string>(b, Definition(timeout: TimeSpan.FromMinutes(5)));
            var handling = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var serving = server.Serve(async (_, request, ct) =>
            {
                handling.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return request;
            });
            var client = new RequestResponseProtocol<string, string>(a, Definition(timeout: TimeSpan.FromSeconds(30)));
            var pending = client.RequestAsync(b.LocalPeerId, "slow");
            // The handler runs once the request has been read, so the client has finished negotiating the stream and
            // only the request's own deadline is left on the fake clock (the server counts a stream as active as soon
            // as it has answered the negotiation, while the client may still be waiting for that answer).
            await handling.Task.WaitAsync(Limit);
            time.Advance(TimeSpan.FromSeconds(29));
            Assert.False(pending.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(1));
            var timeout = await Assert.ThrowsAsync<TimeoutException>(() => pending.WaitAsync(Limit));
            Assert.Contains("within 00:00:30", timeout.Message);
        }
        finally
        {
            await TestHosts.DisposeOnFakeClockAsync(a, time);
            await TestHosts.DisposeOnFakeClockAsync(b, time);
        }
    }
}
