using P2P.Networking.RequestResponse;
using P2P.Networking.Streams;
using P2P.Networking.Tests.Host;

namespace P2P.Networking.Tests.RequestResponse;

public sealed class RequestResponseTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Request_GetsTheHandlersResponse()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        a.Peers.AddAddresses(b.LocalPeerId, b.ListenAddresses, TimeSpan.FromMinutes(1));
        var server = new RequestResponseProtocol(b, "/p2pd/sync/1");
        server.Handle((peer, request, ct) => Task.FromResult<ReadOnlyMemory<byte>>(request.ToArray().Reverse().Append((byte)(peer == a.LocalPeerId ? 1 : 0)).ToArray()));
        var client = new RequestResponseProtocol(a, "/p2pd/sync/1");
        Assert.Equal([3, 2, 1, 1], await client.RequestAsync(b.LocalPeerId, new byte[] { 1, 2, 3 }).WaitAsync(Limit));
        Assert.Equal([1], await client.RequestAsync(b.LocalPeerId, Array.Empty<byte>()).WaitAsync(Limit));
    }

    [Fact]
    public async Task Response_LargerThanTheInitialYamuxWindow_Arrives()
    {
        // The client reads one whole length-prefixed message before consuming any of it: the stream must keep granting
        // window for bytes the reader examined, or the sender stalls at the initial 256 KiB window until the timeout.
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        a.Peers.AddAddresses(b.LocalPeerId, b.ListenAddresses, TimeSpan.FromMinutes(1));
        var body = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(body);
        new RequestResponseProtocol(b, "/p2pd/bulk/1").Handle((_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>(body));
        var client = new RequestResponseProtocol(a, "/p2pd/bulk/1", new RequestResponseOptions { Timeout = TimeSpan.FromSeconds(20) });
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(body, await client.RequestAsync(b.LocalPeerId, new byte[] { 1 }).WaitAsync(Limit));
        }
    }

    [Fact]
    public async Task OversizedResponsesAndSlowHandlers_FailWithinLimits()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        a.Peers.AddAddresses(b.LocalPeerId, b.ListenAddresses, TimeSpan.FromMinutes(1));
        new RequestResponseProtocol(b, "/p2pd/big/1").Handle((_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[2048]));
        var small = new RequestResponseProtocol(a, "/p2pd/big/1", new RequestResponseOptions { MaxResponseBytes = 1024 });
        await Assert.ThrowsAsync<ProtocolViolationException>(() => small.RequestAsync(b.LocalPeerId, new byte[] { 1 }).WaitAsync(Limit));

        new RequestResponseProtocol(b, "/p2pd/slow/1").Handle(async (_, _, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(20), ct);
            return new byte[] { 1 };
        });
        var impatient = new RequestResponseProtocol(a, "/p2pd/slow/1", new RequestResponseOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        await Assert.ThrowsAsync<TimeoutException>(() => impatient.RequestAsync(b.LocalPeerId, new byte[] { 1 }).WaitAsync(Limit));
        Assert.Throws<ArgumentException>(() => small.RequestAsync(b.LocalPeerId, new byte[70_000]).GetAwaiter().GetResult());
        Assert.Throws<ArgumentException>(() => new RequestResponseProtocol(a, "/other/1"));
    }
}
