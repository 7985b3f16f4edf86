using System.Diagnostics;
using Microsoft.Extensions.Logging;
using P2P.Accountability.Receipts;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.State;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;

namespace P2P.Accountability.Validation;

/// <summary>
/// This node as a validator: on each new head it asks the chain which receipts it must judge, fetches each record from
/// the executor over <c>/p2pd/validate/1</c>, re-runs it with <see cref="SpanVerifier"/>, and signs and publishes the
/// verdict. A record it cannot fetch is retried on later heads, and judged InputsUnavailable shortly before the deadline.
/// </summary>
public sealed class ReceiptValidator(ChainState chain, Ed25519PrivateKey key, IRequestResponse<ValidateRequest, ValidateResponse> fetch, SpanVerifier verifier,
    Func<Verdict, CancellationToken, ValueTask> publish, ValidatorOptions options, ILogger log)
{
    private readonly byte[] _publicKey = Signing.PublicKeyOf(key);
    private readonly HashSet<string> _judged = [];

    public ValidatorStats Stats { get; } = new();

    /// <summary>Judges every receipt assigned to this node that it has not judged yet; returns how many verdicts it published.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var head = chain.Head;
        ulong from = head.Height > 10_000 ? head.Height - 10_000 : 0;
        var assignments = chain.GetAssignments(_publicKey, from);
        _judged.IntersectWith(assignments.Select(a => Convert.ToHexStringLower(a.ReceiptId)));
        int published = 0;
        foreach (var assignment in assignments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = Convert.ToHexStringLower(assignment.ReceiptId);
            if (_judged.Contains(id)) continue;
            var outcome = await JudgeAsync(assignment, head.Height, cancellationToken).ConfigureAwait(false);
            if (outcome is null) continue;
            if (options.LieInvalid) outcome = new VerificationOutcome(VerdictReason.OutputMismatch, new byte[32], "test cheat: lie-invalid");
            var verdict = new Verdict
            {
                ReceiptId = assignment.ReceiptId,
                Validator = _publicKey,
                Valid = outcome.Valid,
                Reason = outcome.Reason,
                OutputHash = outcome.OutputHash,
                Epoch = chain.Math.EpochOf(chain.Head.Height + 1),
                Signature = new byte[Signing.SignatureLength],
            }.SignedBy(key, chain.ChainId);
            await publish(verdict, cancellationToken).ConfigureAwait(false);
            _judged.Add(id);
            Stats.Count(outcome.Valid, outcome.Reason == VerdictReason.InputsUnavailable);
            published++;
            log.LogInformation("verdict on receipt {Receipt} (validator #{Index}): {Outcome} — {Detail}", Hashing.Short(assignment.ReceiptId),
                assignment.ValidatorIndex, outcome.Valid ? "valid" : $"invalid ({outcome.Reason})", outcome.Detail);
        }
        return published;
    }

    /// <summary>The outcome, or null to try again on a later head.</summary>
    private async Task<VerificationOutcome?> JudgeAsync(ValidatorAssignment assignment, ulong height, CancellationToken cancellationToken)
    {
        var receipt = assignment.Receipt;
        var claim = ReceiptClaims.FromReceipt(receipt);
        string problem;
        try
        {
            var executor = new Ed25519PublicKey(receipt.Executor).ToPeerId();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.FetchTimeout);
            var answer = await fetch.RequestAsync(executor, new ValidateRequest { ReceiptId = assignment.ReceiptId }, timeout.Token).ConfigureAwait(false);
            if (answer.Record is { } record)
            {
                if (!record.ReceiptId.AsSpan().SequenceEqual(assignment.ReceiptId)) return VerificationOutcome.Missing("the executor answered with another receipt's record");
                return await Task.Run(() => Measure(() => verifier.Verify(record, claim)), cancellationToken).ConfigureAwait(false);
            }
            // The executor answered and has no record: it will not have one later either.
            return VerificationOutcome.Missing($"the executor has no record: {answer.Code} {answer.Message}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            problem = e.Message;
        }
        if (height + options.GiveUpBlocksBeforeDeadline < assignment.Deadline)
        {
            log.LogDebug("record of receipt {Receipt} not fetched yet ({Problem}); retrying on the next head", Hashing.Short(assignment.ReceiptId), problem);
            return null;
        }
        return VerificationOutcome.Missing($"the executor did not answer before the deadline: {problem}");
    }

    private VerificationOutcome Measure(Func<VerificationOutcome> verify)
    {
        // Thread CPU time is not exposed portably; the process's total is an upper bound of the re-run's own.
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var outcome = verify();
        Stats.AddCpu(Process.GetCurrentProcess().TotalProcessorTime - before);
        return outcome;
    }
}
