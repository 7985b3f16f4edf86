using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.Reasons;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.Accountability;

/// <summary>Verdict entitlement, deadlines, escalation by majority and forfeits on a real chain (docs/consensus.md §4.6, §4.8).</summary>
public sealed class VerdictRulesTests
{
    private static byte[] Pub(P2P.Networking.Identity.Ed25519PrivateKey key) => TestChain.Pub(key);

    [Fact]
    public void Lottery_DrawsEveryDeclaredNodeButTheExecutor_WithADeadline()
    {
        using var s = new ValidationScenario();
        var status = s.Status;
        Assert.True(status.Drawn);
        Assert.Equal(ReceiptState.Open, status.State);
        Assert.Equal(3, status.Validators.Count);
        Assert.DoesNotContain(status.Validators, v => v.AsSpan().SequenceEqual(Pub(ValidationScenario.Bob)));
        Assert.Equal(1ul + 6, status.Deadline);
        Assert.Null(status.EscalationDeadline);
        Assert.Equal(s.Receipt.Encode(), status.Receipt.Encode());
        Assert.Equal(new ValidationCounts(1, 1, 0, 0, 0), s.T.Chain.GetValidationCounts(0));
    }

    /// <summary>A cheating executor: the first validator and one escalation validator say invalid, the third (wrongly) valid.</summary>
    [Fact]
    public void CheatingExecutor_LosesTheEscalation_AndForfeitsWithTheDissentingValidator()
    {
        using var s = new ValidationScenario();
        var (first, second, third) = (s.Drawn[0], s.Drawn[1], s.Drawn[2]);
        Assert.True(s.SubmitRaw(s.Verdict(first, valid: false)).HeadChanged);
        Assert.Equal(2ul + 6, s.Status.EscalationDeadline);
        Assert.Equal(ReceiptState.Open, s.Status.State);
        Assert.True(s.SubmitRaw(s.Verdict(second, valid: false), s.Verdict(third, valid: true)).HeadChanged);

        var status = s.Status;
        Assert.Equal(ReceiptState.FinalInvalid, status.State);
        Assert.Equal([Pub(ValidationScenario.Bob), Pub(third)], status.Forfeits);
        Assert.Equal(RejectReason.VerdictDuplicate, s.SubmitRaw(s.Verdict(first, valid: true)).Reason);
        Assert.Equal(RejectReason.VerdictReceiptFinal, s.SubmitRaw(s.Verdict(ValidationScenario.Alice, valid: true)).Reason);
        s.T.Submit(s.T.MineNext(ValidationScenario.Alice));   // height 4 closes epoch 0

        var record = s.T.Chain.GetEpochRecord(0)!;
        Assert.Equal(new ValidationCounts(1, 1, 0, 1, 0), record.Validation);
        Assert.Contains(record.Forfeits, k => k.AsSpan().SequenceEqual(Pub(ValidationScenario.Bob)));
        var bob = record.Rewards.Single(x => x.Miner.AsSpan().SequenceEqual(Pub(ValidationScenario.Bob)));
        Assert.True(bob.Forfeited);
        Assert.Equal(0ul, s.T.Chain.GetAccount(Pub(ValidationScenario.Bob)).Balance);
        AssertIssuedIsScheduleMinusForfeits(s, record);
    }

    /// <summary>A lying validator (always "invalid"): both escalation validators reproduce the result, the liar forfeits, the executor keeps its reward.</summary>
    [Fact]
    public void LyingValidator_LosesTheEscalation_AndTheHonestExecutorKeepsItsReward()
    {
        using var s = new ValidationScenario();
        var liar = s.Drawn[0];
        s.SubmitRaw(s.Verdict(liar, valid: false));
        s.SubmitRaw(s.Verdict(s.Drawn[1], valid: true), s.Verdict(s.Drawn[2], valid: true));
        Assert.Equal(ReceiptState.FinalValid, s.Status.State);
        Assert.Equal([Pub(liar)], s.Status.Forfeits);
        s.T.Submit(s.T.MineNext(ValidationScenario.Alice));

        var record = s.T.Chain.GetEpochRecord(0)!;
        Assert.Equal(new ValidationCounts(1, 1, 1, 0, 0), record.Validation);
        var bob = record.Rewards.Single(x => x.Miner.AsSpan().SequenceEqual(Pub(ValidationScenario.Bob)));
        Assert.False(bob.Forfeited);
        Assert.Equal(bob.Reward, s.T.Chain.GetAccount(Pub(ValidationScenario.Bob)).Balance);
        var liarReward = record.Rewards.Single(x => x.Miner.AsSpan().SequenceEqual(Pub(liar)));
        Assert.True(liarReward.Forfeited);
        AssertIssuedIsScheduleMinusForfeits(s, record);
    }

    [Fact]
    public void FirstValidVerdict_SettlesTheReceipt_AndOnlyTheDrawnValidatorMayGiveIt()
    {
        using var s = new ValidationScenario();
        Assert.Equal(RejectReason.VerdictNotEntitled, s.SubmitRaw(s.Verdict(ValidationScenario.Alice, valid: true)).Reason);
        Assert.Equal(RejectReason.VerdictNotEntitled, s.SubmitRaw(s.Verdict(s.Drawn[1], valid: true)).Reason);
        Assert.Equal(RejectReason.VerdictBySelf, s.SubmitRaw(s.Verdict(ValidationScenario.Bob, valid: true)).Reason);
        Assert.Equal(RejectReason.VerdictInconsistent, s.SubmitRaw((s.Verdict(s.Drawn[0], valid: true) with { Reason = VerdictReason.OutputMismatch }).SignedBy(s.Drawn[0], s.ChainId)).Reason);
        Assert.Equal(RejectReason.VerdictInconsistent, s.SubmitRaw((s.Verdict(s.Drawn[0], valid: false) with { Reason = VerdictReason.Reproduced }).SignedBy(s.Drawn[0], s.ChainId)).Reason);
        Assert.Equal(RejectReason.VerdictUnknownReceipt, s.SubmitRaw(Samples.Verdict(s.Drawn[0], s.ChainId, new byte[32], true, 0)).Reason);

        Assert.True(s.SubmitRaw(s.Verdict(s.Drawn[0], valid: true)).HeadChanged);
        Assert.Equal(ReceiptState.FinalValid, s.Status.State);
        Assert.Empty(s.Status.Forfeits);
        Assert.Equal(RejectReason.VerdictReceiptFinal, s.SubmitRaw(s.Verdict(s.Drawn[1], valid: false)).Reason);
        Assert.Equal(new ValidationCounts(1, 1, 1, 0, 0), s.T.Chain.GetValidationCounts(0));
    }

    [Fact]
    public void Verdict_InTheReceiptsOwnBlock_IsNotEntitled()
    {
        using var t = new TestChain();
        var id = t.Chain.ChainId;
        var receipt = Samples.Receipt(ValidationScenario.Bob, id, epoch: 0);
        var result = t.Submit(t.MineRaw(ValidationScenario.Alice, [receipt, Samples.Verdict(ValidationScenario.Carol, id, receipt.Id(id), true, 0), Samples.Declaration(ValidationScenario.Carol, id, 0)]));
        Assert.Equal(RejectReason.VerdictNotEntitled, result.Reason);
    }

    [Fact]
    public void FirstValidatorMissingTheDeadline_LeavesTheReceiptUnvalidated_AndIsNoted()
    {
        using var s = new ValidationScenario(verdictDeadlineBlocks: 2);
        s.SubmitRaw();
        Assert.Equal(ReceiptState.Open, s.Status.State);
        s.SubmitRaw();   // height 3: the deadline closes
        Assert.Equal(ReceiptState.Unvalidated, s.Status.State);
        Assert.Equal(RejectReason.VerdictTooLate, s.SubmitRaw(s.Verdict(s.Drawn[0], valid: true)).Reason);
        Assert.Equal(new ValidationCounts(1, 1, 0, 0, 1), s.T.Chain.GetValidationCounts(0));
        Assert.Equal([Pub(s.Drawn[0])], s.T.Chain.GetMissedDeadlines(0));
        Assert.Empty(s.Status.Forfeits);
    }

    [Fact]
    public void EscalationDeadline_ClosesByMajorityOfTheVerdictsIn_ATieIsValid()
    {
        using var s = new ValidationScenario(verdictDeadlineBlocks: 2);
        s.SubmitRaw(s.Verdict(s.Drawn[0], valid: false));   // height 2, escalation deadline 4
        s.SubmitRaw(s.Verdict(s.Drawn[1], valid: true));    // height 3
        Assert.Equal(ReceiptState.Open, s.Status.State);
        s.SubmitRaw();                                      // height 4: one invalid, one valid, one missing
        Assert.Equal(ReceiptState.FinalValid, s.Status.State);
        Assert.Equal([Pub(s.Drawn[0])], s.Status.Forfeits);
        Assert.Equal([Pub(s.Drawn[2])], s.T.Chain.GetMissedDeadlines(0));
        Assert.Equal(RejectReason.VerdictReceiptFinal, s.SubmitRaw(s.Verdict(s.Drawn[2], valid: false)).Reason);
        var record = s.T.Chain.GetEpochRecord(0)!;
        Assert.Equal(new ValidationCounts(1, 1, 1, 0, 1), record.Validation);
        Assert.Equal([Pub(s.Drawn[2])], record.MissedDeadlines);
    }

    [Fact]
    public void FastModeReceipt_IsRecordedButNeverDrawn()
    {
        using var s = new ValidationScenario(deterministic: false);
        Assert.False(s.Status.Drawn);
        Assert.Equal(ReceiptState.NotDrawn, s.Status.State);
        Assert.Empty(s.Drawn);
        Assert.Equal(RejectReason.VerdictNotEntitled, s.SubmitRaw(Samples.Verdict(ValidationScenario.Carol, s.ChainId, s.ReceiptId, true, 0)).Reason);
        Assert.Equal(new ValidationCounts(1, 0, 0, 0, 0), s.T.Chain.GetValidationCounts(0));
    }

    [Fact]
    public void Assignments_ListWhatEachValidatorMustStillJudge()
    {
        using var s = new ValidationScenario();
        var first = Assert.Single(s.T.Chain.GetAssignments(Pub(s.Drawn[0]), 0));
        Assert.Equal(s.ReceiptId, first.ReceiptId);
        Assert.Equal(0, first.ValidatorIndex);
        Assert.Equal(7ul, first.Deadline);
        Assert.Empty(s.T.Chain.GetAssignments(Pub(s.Drawn[1]), 0));
        Assert.Empty(s.T.Chain.GetAssignments(Pub(s.Drawn[0]), 2));

        s.SubmitRaw(s.Verdict(s.Drawn[0], valid: false));
        Assert.Empty(s.T.Chain.GetAssignments(Pub(s.Drawn[0]), 0));
        var escalation = Assert.Single(s.T.Chain.GetAssignments(Pub(s.Drawn[2]), 0));
        Assert.Equal(2, escalation.ValidatorIndex);
        Assert.Equal(8ul, escalation.Deadline);
        s.SubmitRaw(s.Verdict(s.Drawn[1], valid: false), s.Verdict(s.Drawn[2], valid: false));
        Assert.Empty(s.T.Chain.GetAssignments(Pub(s.Drawn[2]), 0));
    }

    [Fact]
    public void Declarations_AreRejected_WithTheirReasons()
    {
        using var t = new TestChain();
        var id = t.Chain.ChainId;
        var carol = ValidationScenario.Carol;
        Assert.Equal(RejectReason.DeclarationWrongEpoch, t.Submit(t.MineRaw(ValidationScenario.Alice, [Samples.Declaration(carol, id, 1)])).Reason);
        Assert.Equal(RejectReason.DeclarationInvalid, t.Submit(t.MineRaw(ValidationScenario.Alice, [Samples.Declaration(carol, id, 0, 4, 4)])).Reason);
        Assert.Equal(RejectReason.DeclarationBadSignature, t.Submit(t.MineRaw(ValidationScenario.Alice, [Samples.Declaration(carol, id, 0) with { ShardEnd = 9 }])).Reason);
        Assert.True(t.Submit(t.MineRaw(ValidationScenario.Alice, [Samples.Declaration(carol, id, 0)])).HeadChanged);
        Assert.Equal(RejectReason.DeclarationDuplicate, t.Submit(t.MineRaw(ValidationScenario.Alice, [Samples.Declaration(carol, id, 0)])).Reason);
        Assert.True(t.Submit(t.MineRaw(ValidationScenario.Alice, [Samples.Declaration(carol, id, 0, 0, 4)])).HeadChanged);
    }

    [Fact]
    public void Candidates_NeedADeclarationCoveringTheSpan_InThisOrThePreviousEpoch()
    {
        using var t = new TestChain();
        var id = t.Chain.ChainId;
        // Carol declares 0–8 in epoch 0, Dave only 4–8 (not covering 0–4); in epoch 1 Bob's receipt may draw Carol only.
        t.Submit(t.MineNext(ValidationScenario.Alice, [Samples.Declaration(ValidationScenario.Carol, id, 0), Samples.Declaration(ValidationScenario.Dave, id, 0, 4, 8)]));
        t.Extend(3, ValidationScenario.Alice);
        var receipt = Samples.Receipt(ValidationScenario.Bob, id, epoch: 1);
        t.Submit(t.MineNext(ValidationScenario.Alice, [receipt]));
        var status = t.Chain.GetReceiptStatus(receipt.Id(id))!;
        Assert.Equal([Pub(ValidationScenario.Carol)], status.Validators);
        // Two epochs later the epoch-0 declaration no longer counts: drawn, but nobody to judge.
        t.Extend(4, ValidationScenario.Alice);
        var late = Samples.Receipt(ValidationScenario.Bob, id, epoch: 2, task: 9);
        t.Submit(t.MineNext(ValidationScenario.Alice, [late]));
        var lateStatus = t.Chain.GetReceiptStatus(late.Id(id))!;
        Assert.True(lateStatus.Drawn);
        Assert.Empty(lateStatus.Validators);
        Assert.Equal(ReceiptState.Unvalidated, lateStatus.State);
    }

    /// <summary>A reorganisation undoes the draw, verdicts, deadline closing and forfeits, and redoing them gives the same state as a clean replay.</summary>
    [Fact]
    public void Reorganisation_UndoesAndRedoesVerdictsAndForfeits_AsACleanReplay()
    {
        using var s = new ValidationScenario(verdictDeadlineBlocks: 2);
        using var branchA = new TestChain(s.T.Genesis);
        using var rival = new TestChain(s.T.Genesis);
        s.SubmitRaw(s.Verdict(s.Drawn[0], valid: false));   // height 2: escalation deadline 4
        s.SubmitRaw(s.Verdict(s.Drawn[1], valid: false));   // height 3
        s.SubmitRaw();                                      // height 4: final invalid 2–0, the third validator missed, epoch 0 closes
        Assert.Equal(ReceiptState.FinalInvalid, s.Status.State);
        for (ulong h = 1; h <= 4; h++) Assert.True(branchA.Submit(s.T.Chain.GetBlock(s.T.Chain.MainChainHash(h)!)!).HeadChanged);

        rival.Extend(5, ValidationScenario.Dave);
        for (ulong h = 1; h <= 5; h++) s.T.Submit(rival.Chain.GetBlock(rival.Chain.MainChainHash(h)!)!, TestChain.TimeAt(5));
        Assert.Equal(rival.Chain.Head.Hash, s.T.Chain.Head.Hash);
        Assert.Equal(rival.Chain.StateDigest(), s.T.Chain.StateDigest());
        Assert.Null(s.T.Chain.GetReceiptStatus(s.ReceiptId));

        branchA.Extend(2, ValidationScenario.Alice);
        for (ulong h = 5; h <= 6; h++) s.T.Submit(branchA.Chain.GetBlock(branchA.Chain.MainChainHash(h)!)!, TestChain.TimeAt(6));
        Assert.Equal(branchA.Chain.Head.Hash, s.T.Chain.Head.Hash);
        Assert.Equal(branchA.Chain.StateDigest(), s.T.Chain.StateDigest());
        Assert.Equal(ReceiptState.FinalInvalid, s.Status.State);
        Assert.Equal([Pub(s.Drawn[2])], s.T.Chain.GetEpochRecord(0)!.MissedDeadlines);
    }

    private static void AssertIssuedIsScheduleMinusForfeits(ValidationScenario s, EpochRecord record)
    {
        Assert.Equal(1000ul, record.Issued + record.Forfeited);
        Assert.Equal(new LedgerTotals(record.Issued, record.Forfeited, 1), s.T.Chain.Totals);
        ulong balances = 0;
        foreach (var (_, account) in s.T.Chain.Accounts()) balances += account.Balance;
        Assert.Equal(record.Issued, balances);
        var audit = s.T.Chain.AuditLedger();
        Assert.True(audit.Holds);
        Assert.Equal((record.Issued, record.Forfeited, (System.Numerics.BigInteger)1000, (System.Numerics.BigInteger)record.Issued), (audit.Issued, audit.Forfeited, audit.Scheduled, audit.Balances));
        Assert.Equal(s.T.Chain.Head.Hash, audit.HeadHash);
    }
}
