using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Pools;
using P2P.Consensus.State;
using P2P.Daemon.Api;

namespace P2P.Daemon.Chain;

/// <summary>Chain endpoints under <c>/api/v1</c>: chain, blocks, epochs, ledger, accounts, mining (public reads) and transfers (bearer token).</summary>
public static class ChainEndpoints
{
    public static IEndpointRouteBuilder MapChainEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1");
        group.MapGet("/chain", (IServiceProvider services) => WithChain(services, Chain));
        group.MapGet("/blocks/{id}", (IServiceProvider services, string id) => WithChain(services, node => BlockOf(node, id)));
        group.MapGet("/epochs/{epoch}", (IServiceProvider services, string epoch) => WithChain(services, node => EpochOf(node, epoch)));
        group.MapGet("/ledger", (IServiceProvider services) => WithChain(services, Ledger));
        group.MapGet("/accounts/{key}", (IServiceProvider services, string key) => WithChain(services, node => AccountOf(node, key)));
        group.MapGet("/mining", (IServiceProvider services) => WithChain(services, Mining));
        group.MapPost("/transfers", (IServiceProvider services, TransferRequest request, CancellationToken cancellation) =>
            WithChainAsync(services, node => SendAsync(node, request, cancellation)));
        return endpoints;
    }

    private static IResult WithChain(IServiceProvider services, Func<ChainNode, IResult> answer) =>
        services.GetService<ChainNode>() is { } node ? answer(node) : NoChain();

    private static async Task<IResult> WithChainAsync(IServiceProvider services, Func<ChainNode, Task<IResult>> answer) =>
        services.GetService<ChainNode>() is { } node ? await answer(node) : NoChain();

    private static IResult NoChain() => Error(StatusCodes.Status404NotFound, "chain_disabled", "this node runs no chain (set Chain:Genesis or start with --devnet)");

    private static IResult Error(int status, string code, string message) => Results.Json(ApiError.Of(code, message), statusCode: status);

    private static IResult Chain(ChainNode node)
    {
        var chain = node.State;
        var (head, digest) = chain.HeadAndDigest();
        var sync = node.Sync.Progress;
        return Results.Json(new ChainResponse(
            Hashing.Hex(chain.ChainId), chain.Genesis.ChainName, Hashing.Hex(chain.GenesisHash), head.Height, Hashing.Hex(head.Hash),
            head.CumulativeWork.ToString(CultureInfo.InvariantCulture), head.Timestamp, head.Epoch, head.Bits.ToString("x8", CultureInfo.InvariantCulture),
            Hashing.Hex(digest), sync.IsSyncing ? "syncing" : sync.State.ToString().ToLowerInvariant(), sync.TargetHeight, sync.Peers, Math.Round(sync.BytesPerSecond), chain.OrphanCount, node.Shares.Count, node.Transfers.Count,
            chain.Genesis.TargetBlockSeconds, chain.Genesis.EpochLength));
    }

    private static IResult BlockOf(ChainNode node, string id)
    {
        var chain = node.State;
        byte[]? hash = null;
        if (id.Length <= 20 && ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var height)) hash = chain.MainChainHash(height);
        else if (id.Length == 64 && id.All(Uri.IsHexDigit)) hash = Convert.FromHexString(id);
        else return Error(StatusCodes.Status400BadRequest, "bad_block_id", "a block is named by its height or its hash (64 hex digits)");
        if (hash is null || chain.GetBlock(hash) is not { } block) return Error(StatusCodes.Status404NotFound, "block_not_found", $"no block {id}");
        var header = block.Header;
        var encoded = block.Encode();
        bool main = chain.MainChainHash(header.Height) is { } onMain && onMain.AsSpan().SequenceEqual(hash);
        var arrival = node.Intake.Arrivals.Find(hash);
        return Results.Json(new BlockResponse(
            Hashing.Hex(hash), header.Height, Hashing.Hex(header.ParentHash), header.Timestamp, header.Bits.ToString("x8", CultureInfo.InvariantCulture), header.Epoch,
            Hashing.Hex(header.Miner), header.Nonce, main,
            block.Items.OfType<Share>().Count(), block.Items.OfType<Transfer>().Select(ToResponse).ToArray(),
            block.Items.Count(i => i.Type == BodyItemType.Receipt), block.Items.OfType<Receipt>().Select(r => Hashing.Hex(r.Id(chain.ChainId))).ToArray(), block.Items.Count(i => i.Type == BodyItemType.Verdict),
            encoded.Length, Convert.ToHexStringLower(encoded), arrival?.AppliedAt, arrival?.Source.ToString().ToLowerInvariant()));
    }

    private static IResult EpochOf(ChainNode node, string text)
    {
        var chain = node.State;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            return Error(StatusCodes.Status400BadRequest, "bad_epoch", "an epoch is a non-negative integer");
        var head = chain.Head;
        if (epoch > head.Epoch) return Error(StatusCodes.Status404NotFound, "epoch_not_started", $"epoch {epoch} has not started (head is in epoch {head.Epoch})");
        ulong length = (ulong)chain.Genesis.EpochLength;
        ulong first = epoch * length + 1, last = (epoch + 1) * length;
        var counts = chain.GetValidationCounts(epoch);
        var validation = new EpochValidationResponse(counts.Receipts, counts.Drawn, counts.Valid, counts.Invalid, counts.MissedDeadlines);
        var forfeits = chain.GetEpochForfeits(epoch);
        var forfeitedKeys = forfeits.Select(k => Hashing.Hex(k)).ToArray();
        var missed = chain.GetMissedDeadlines(epoch).Select(k => Hashing.Hex(k)).ToArray();
        if (chain.GetEpochRecord(epoch) is { } record)
        {
            return Results.Json(new EpochResponse(epoch, true, first, last, record.Scheduled, record.Issued, record.Forfeited, record.TotalWeight.ToString(CultureInfo.InvariantCulture),
                record.Rewards.Select(r => new EpochMinerResponse(Hashing.Hex(r.Miner), r.Weight.ToString(CultureInfo.InvariantCulture), r.Reward, r.Forfeited)).ToArray(),
                validation, forfeitedKeys, missed));
        }
        var weights = chain.GetEpochWeights(epoch);
        var total = weights.Aggregate(System.Numerics.BigInteger.Zero, (sum, w) => sum + w.Weight);
        return Results.Json(new EpochResponse(epoch, false, first, last, chain.Math.IssuanceOf(epoch), 0, 0, total.ToString(CultureInfo.InvariantCulture),
            weights.Select(w => new EpochMinerResponse(Hashing.Hex(w.Miner), w.Weight.ToString(CultureInfo.InvariantCulture), 0, forfeits.Contains(w.Miner))).ToArray(),
            validation, forfeitedKeys, missed));
    }

    private static IResult Ledger(ChainNode node)
    {
        var audit = node.State.AuditLedger();
        return Results.Json(new LedgerResponse(audit.Height, Hashing.Hex(audit.HeadHash), audit.EpochsClosed, audit.Scheduled.ToString(CultureInfo.InvariantCulture),
            audit.Issued, audit.Forfeited, audit.Balances.ToString(CultureInfo.InvariantCulture), audit.Accounts, audit.Holds));
    }

    private static IResult AccountOf(ChainNode node, string text)
    {
        var key = text == "self" ? node.RewardKey : ParseKey(text);
        if (key is null) return Error(StatusCodes.Status400BadRequest, "bad_key", "an account is an Ed25519 public key as 64 hex digits (or 'self')");
        var account = node.State.GetAccount(key);
        int pending = node.Transfers.Candidates().Count(t => t.From.AsSpan().SequenceEqual(key));
        return Results.Json(new AccountResponse(Hashing.Hex(key), account.Balance, account.Nonce, pending));
    }

    private static IResult Mining(ChainNode node)
    {
        if (node.Miner is not { } miner) return Results.Json(new MiningResponse(false, false, 0, Hashing.Hex(node.RewardKey), 0, 0, 0, 0, 0, 0, 0));
        var s = miner.Stats();
        return Results.Json(new MiningResponse(true, s.Running, s.Threads, Hashing.Hex(node.RewardKey), Math.Round(s.HashesPerSecond, 1), s.NoncesTried, s.SharesFound, s.BlocksFound, s.Templates, s.TemplateHeight, s.TemplateItems));
    }

    private static async Task<IResult> SendAsync(ChainNode node, TransferRequest request, CancellationToken cancellation)
    {
        if (ParseKey(request.To) is not { } to) return Error(StatusCodes.Status400BadRequest, "bad_recipient", "'to' must be an Ed25519 public key as 64 hex digits");
        if (request.Amount == 0) return Error(StatusCodes.Status400BadRequest, "bad_amount", "'amount' must be at least 1");
        if (request.Amount > ulong.MaxValue - request.Fee) return Error(StatusCodes.Status400BadRequest, "bad_amount", "amount + fee overflows");
        var chain = node.State;
        var from = Signing.PublicKeyOf(node.SigningKey);
        var account = chain.GetAccount(from);
        var pending = node.Transfers.Candidates().Where(t => t.From.AsSpan().SequenceEqual(from) && t.Nonce >= account.Nonce).ToList();
        ulong committed = pending.Aggregate(0UL, (sum, t) => sum + t.Amount + t.Fee);
        if (account.Balance < committed || account.Balance - committed < request.Amount + request.Fee)
            return Error(StatusCodes.Status400BadRequest, "insufficient_balance", $"balance {account.Balance} (of which {committed} pending) cannot pay {request.Amount} + fee {request.Fee}");
        ulong nonce = pending.Count == 0 ? account.Nonce : pending.Max(t => t.Nonce) + 1;
        var transfer = Transfer.Create(node.SigningKey, chain.ChainId, to, request.Amount, request.Fee, nonce);
        node.Transfers.Add(transfer);
        await node.Gossip.PublishTransferAsync(transfer, cancellation);
        return Results.Json(ToResponse(transfer), statusCode: StatusCodes.Status202Accepted);
    }

    private static TransferResponse ToResponse(Transfer t) =>
        new(TransferPool.IdOf(t).ToLowerInvariant(), Hashing.Hex(t.From), Hashing.Hex(t.To), t.Amount, t.Fee, t.Nonce);

    private static byte[]? ParseKey(string? text) =>
        text is { Length: 64 } && text.All(Uri.IsHexDigit) ? Convert.FromHexString(text) : null;
}
