using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Daemon.Api;

namespace P2P.Daemon.Chain;

/// <summary><c>GET /api/v1/blocks?limit=n</c> (public read): the newest main-chain blocks with shares per miner, for the dashboard's charts.</summary>
public static class RecentBlocksEndpoints
{
    public const int DefaultLimit = 30;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapRecentBlocksEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/blocks", (IServiceProvider services, int? limit) =>
        {
            if (services.GetService<ChainNode>() is not { } node)
                return Results.Json(ApiError.Of("chain_disabled", "this node runs no chain (set Chain:Genesis or start with --devnet)"), statusCode: StatusCodes.Status404NotFound);
            if (limit is < 1 or > MaxLimit)
                return Results.Json(ApiError.Of("bad_limit", $"limit must be 1-{MaxLimit}"), statusCode: StatusCodes.Status400BadRequest);
            return Results.Json(Recent(node, limit ?? DefaultLimit));
        });
        return endpoints;
    }

    private static RecentBlocksResponse Recent(ChainNode node, int limit)
    {
        var chain = node.State;
        ulong head = chain.Head.Height;
        var blocks = new List<BlockSummaryResponse>();
        // Height 0 is genesis: no header, no miner.
        for (ulong height = head; height >= 1 && blocks.Count < limit; height--)
        {
            // The head can move between reads; a height whose block is gone is skipped, not an error.
            if (chain.MainChainHash(height) is not { } hash || chain.GetBlock(hash) is not { } block) continue;
            var shares = block.Items.OfType<Share>().ToList();
            var byMiner = shares.GroupBy(s => Hashing.Hex(s.Header.Miner)).ToDictionary(g => g.Key, g => g.Count());
            blocks.Add(new BlockSummaryResponse(
                Hashing.Hex(hash), block.Header.Height, block.Header.Timestamp, block.Header.Epoch, Hashing.Hex(block.Header.Miner), shares.Count, byMiner,
                block.Items.Count(i => i.Type == BodyItemType.Transfer), block.Items.Count(i => i.Type == BodyItemType.Receipt),
                block.Items.Count(i => i.Type == BodyItemType.Verdict), block.Encode().Length));
        }
        return new RecentBlocksResponse(head, blocks);
    }
}
