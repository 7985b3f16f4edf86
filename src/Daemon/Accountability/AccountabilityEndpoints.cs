using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using P2P.Accountability.Receipts;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Ledger;
using P2P.Consensus.State;
using P2P.Daemon.Api;

namespace P2P.Daemon.Accountability;

/// <summary>Receipt endpoints under <c>/api/v1</c> (public reads): recent receipts and one receipt's path.</summary>
public static class AccountabilityEndpoints
{
    public static IEndpointRouteBuilder MapAccountabilityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1");
        group.MapGet("/receipts", (IServiceProvider services, int? limit) => With(services, (chain, runtime) => Recent(chain, runtime, Math.Clamp(limit ?? 20, 1, 1000))));
        group.MapGet("/receipts/{id}", (IServiceProvider services, string id) => With(services, (chain, runtime) => One(chain, runtime, id)));
        return endpoints;
    }

    private static IResult With(IServiceProvider services, Func<ChainState, AccountabilityRuntime, IResult> answer) =>
        services.GetService<ChainState>() is { } chain && services.GetService<AccountabilityRuntime>() is { } runtime
            ? answer(chain, runtime)
            : Error(StatusCodes.Status404NotFound, "accountability_disabled", "this node runs no chain or has Accountability:Enabled=false");

    private static IResult Error(int status, string code, string message) => Results.Json(ApiError.Of(code, message), statusCode: status);

    private static IResult Recent(ChainState chain, AccountabilityRuntime runtime, int limit)
    {
        var rows = runtime.Receipts.Recent(limit).Select(r =>
        {
            var status = chain.GetReceiptStatus(Convert.FromHexString(r.ReceiptId));
            return new ReceiptSummaryResponse(r.ReceiptId, r.TaskId, r.Executor, r.Start, r.End, r.Deterministic, r.Collected, StateName(status), status?.Verdicts.Count ?? 0);
        }).ToList();
        var stats = runtime.Validator;
        var republish = runtime.Republisher?.Stats ?? new RepublishStats(0, 0, 0, 0, 0);
        return Results.Json(new ReceiptsResponse(rows, runtime.Records.Count, runtime.Records.Bytes, stats?.Valid ?? 0, stats?.Invalid ?? 0, runtime.Weights.Convicted(),
            republish.Pending, republish.Republished, republish.Landed, republish.Expired, republish.Evicted));
    }

    private static IResult One(ChainState chain, AccountabilityRuntime runtime, string id)
    {
        if (id.Length != 64 || !id.All(Uri.IsHexDigit)) return Error(StatusCodes.Status400BadRequest, "bad_receipt_id", "a receipt is named by its id (64 hex digits)");
        id = id.ToLowerInvariant();
        var collected = runtime.Receipts.Find(id);
        var status = chain.GetReceiptStatus(Convert.FromHexString(id));
        if (status is null && collected is null) return Error(StatusCodes.Status404NotFound, "receipt_not_found", $"no receipt {id} on the main chain or collected by this gateway");
        return Results.Json(new ReceiptResponse(
            id,
            StateName(status),
            collected?.TaskId,
            collected?.Executor,
            status is null ? null : Fields(status.Receipt),
            status?.Height,
            status is null ? null : Hashing.Hex(status.BlockHash),
            status?.Drawn,
            status is null ? [] : [.. status.Validators.Select(v => Hashing.Hex(v))],
            status?.Deadline,
            status?.EscalationDeadline,
            status is null ? [] : [.. status.Verdicts.Select(v => new VerdictResponse(Hashing.Hex(v.Validator), v.Valid, ReasonName(v.Reason), v.Height))],
            status is null ? [] : [.. status.Forfeits.Select(f => Hashing.Hex(f))]));
    }

    private static ReceiptFieldsResponse Fields(Receipt r) => new(Hashing.Hex(r.Executor), Hashing.Hex(r.TaskId), Hashing.Hex(r.Model), r.ShardStart, r.ShardEnd, r.Deterministic,
        Hashing.Hex(r.SamplingHash), Hashing.Hex(r.InputHash), Hashing.Hex(r.OutputHash), Hashing.Hex(r.LogProbCommitment), r.InputCount, r.OutputCount, r.Epoch);

    public static string StateName(ReceiptStatus? status) => status is null ? "pending" : status.State switch
    {
        ReceiptState.Open => "open",
        ReceiptState.FinalValid => "final_valid",
        ReceiptState.FinalInvalid => "final_invalid",
        ReceiptState.Unvalidated => "unvalidated",
        ReceiptState.NotDrawn => "not_drawn",
        _ => status.State.ToString().ToLowerInvariant(),
    };

    private static string ReasonName(VerdictReason reason) => reason switch
    {
        VerdictReason.Reproduced => "reproduced",
        VerdictReason.OutputMismatch => "output_mismatch",
        VerdictReason.LogProbMismatch => "logprob_mismatch",
        VerdictReason.InputsUnavailable => "inputs_unavailable",
        _ => reason.ToString(),
    };
}
