using System.Numerics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Genesis;
using P2P.Consensus.Rules;
using P2P.Consensus.Sync;
using P2P.Networking.Identity;
using P2P.Simulation;

namespace P2P.Consensus.Tests.Sync;

/// <summary>
/// A simulated peer that speaks <c>/p2pd/sync/1</c> from a <see cref="ForgedChain"/> with hooks to lie: an inflated
/// status, headers and bodies rewritten on the way out, a chain that grows as fast as it is asked for.
/// </summary>
public sealed class HostileServer : IDisposable
{
    private readonly ForgedChain _chain;
    private readonly GenesisConfig _genesis;
    private readonly IDisposable _serving;

    public HostileServer(SimulatedNetwork network, GenesisConfig genesis, ForgedChain chain)
    {
        _chain = chain;
        _genesis = genesis;
        Peer = network.AddPeer();
        _serving = Peer.RequestResponse.Create(SyncProtocol.Definition(genesis.MaxBlockBytes, new SyncOptions())).Serve(HandleAsync);
    }

    public SimulatedPeer Peer { get; }

    public PeerId Id => Peer.Id;

    /// <summary>Rewrites the status it announces.</summary>
    public Func<SyncStatus, SyncStatus> Status { get; init; } = s => s;

    /// <summary>Rewrites a headers answer.</summary>
    public Func<List<BlockHeader>, List<BlockHeader>> Headers { get; init; } = h => h;

    /// <summary>Rewrites one served block (its encoding).</summary>
    public Func<Block, byte[]> Body { get; init; } = b => b.Encode();

    /// <summary>Mines more headers whenever it is asked past its tip (an endless chain); it never serves their bodies.</summary>
    public bool Endless { get; init; }

    public int HeadersServed { get; private set; }

    public void Dispose() => _serving.Dispose();

    private Task<SyncResponse> HandleAsync(PeerId peer, SyncRequest request, CancellationToken cancellationToken)
    {
        SyncResponse response = request switch
        {
            StatusRequest => new StatusResponse(Status(OwnStatus())),
            HeadersRequest headers => new HeadersResponse(Headers(HeadersAfter(headers.Locator, (int)Math.Min(headers.MaxCount, SyncLimits.MaxHeadersPerResponse)))),
            BodiesRequest bodies => new BodiesResponse(Bodies(bodies.Hashes)),
            _ => throw new InvalidOperationException(),
        };
        if (response is HeadersResponse served) HeadersServed += served.Headers.Count;
        return Task.FromResult(response);
    }

    private SyncStatus OwnStatus()
    {
        BigInteger work = 0;
        foreach (var block in _chain.Blocks) work += ChainMath.BlockWork(block.Header.Bits);
        var tip = _chain.Tip;
        return new SyncStatus(tip.Header.ChainId, _chain.Blocks[0].Hash(), tip.Hash(), tip.Header.Height, work);
    }

    private List<BlockHeader> HeadersAfter(IReadOnlyList<byte[]> locator, int count)
    {
        int fork = -1;
        foreach (var hash in locator)
        {
            fork = IndexOf(hash);
            if (fork >= 0) break;
        }
        if (fork < 0) return [];
        if (Endless)
        {
            while (_chain.Blocks.Count - 1 - fork < count) _chain.Extend(spacing: 1);
        }
        return _chain.Blocks.Skip(fork + 1).Take(count).Select(b => b.Header).ToList();
    }

    private List<byte[]> Bodies(IReadOnlyList<byte[]> hashes)
    {
        var blocks = new List<byte[]>();
        if (Endless) return blocks;
        foreach (var hash in hashes)
        {
            int index = IndexOf(hash);
            if (index < 0) break;
            blocks.Add(Body(_chain.Blocks[index]));
        }
        return blocks;
    }

    private int IndexOf(byte[] hash)
    {
        for (int i = 0; i < _chain.Hashes.Count; i++)
        {
            if (_chain.Hashes[i].AsSpan().SequenceEqual(hash)) return i;
        }
        return -1;
    }

    /// <summary>The genesis of the honest network (its header is what a forged chain builds on).</summary>
    public static BlockHeader GenesisHeader(GenesisConfig genesis)
    {
        using var chain = new Support.TestChain(genesis);
        return chain.Chain.GetHeader(chain.Chain.GenesisHash)!;
    }

    public GenesisConfig Genesis => _genesis;
}
