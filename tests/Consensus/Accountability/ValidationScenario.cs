using P2P.Consensus.Blocks;
using P2P.Consensus.State;
using P2P.Consensus.Tests.Support;
using P2P.Networking.Identity;

namespace P2P.Consensus.Tests.Accountability;

/// <summary>
/// A chain where Alice mines, Bob executes and Carol, Dave and Erin declare the sample model's span: block 1 carries
/// their declarations and shares (so each has epoch weight to forfeit) and Bob's receipt, so the lottery draws all three (in its own order) as its validators.
/// </summary>
public sealed class ValidationScenario : IDisposable
{
    public static readonly Ed25519PrivateKey Alice = TestChain.Key(1), Bob = TestChain.Key(2), Carol = TestChain.Key(3), Dave = TestChain.Key(4), Erin = TestChain.Key(5);
    private static readonly Ed25519PrivateKey[] Validators = [Carol, Dave, Erin];

    public TestChain T { get; }
    public byte[] ChainId => T.Chain.ChainId;
    public Receipt Receipt { get; }
    public byte[] ReceiptId { get; }

    /// <summary>The drawn validators' private keys: index 0 judges first, 1 and 2 on escalation.</summary>
    public IReadOnlyList<Ed25519PrivateKey> Drawn { get; }

    public ValidationScenario(int verdictDeadlineBlocks = 6, bool deterministic = true)
    {
        T = new TestChain(TestChain.EasyGenesis() with { VerdictDeadlineBlocks = verdictDeadlineBlocks });
        var receipt = Samples.Receipt(Bob, ChainId, epoch: 0);
        Receipt = deterministic ? receipt : (receipt with { Deterministic = false }).SignedBy(Bob, ChainId);
        ReceiptId = Receipt.Id(ChainId);
        var items = new List<BodyItem> { T.MineShare(Bob) };
        items.AddRange(Validators.Select(v => (BodyItem)T.MineShare(v)));
        items.AddRange(Validators.Select(v => (BodyItem)Samples.Declaration(v, ChainId, epoch: 0)));
        items.Add(Receipt);
        var block = T.MineNext(Alice, items);
        if (block.Items.Count != items.Count || !T.Submit(block).HeadChanged) throw new InvalidOperationException("scenario block not accepted");
        var status = Status;
        Drawn = status.Validators.Select(key => Validators.Single(v => TestChain.Pub(v).AsSpan().SequenceEqual(key))).ToList();
    }

    public ReceiptStatus Status => T.Chain.GetReceiptStatus(ReceiptId) ?? throw new InvalidOperationException("receipt not on chain");

    public Verdict Verdict(Ed25519PrivateKey validator, bool valid) => Samples.Verdict(validator, ChainId, ReceiptId, valid, T.Chain.Math.EpochOf(T.Chain.Head.Height + 1));

    /// <summary>Mines the next block with exactly <paramref name="items"/> and submits it.</summary>
    public SubmitResult SubmitRaw(params BodyItem[] items) => T.Submit(T.MineRaw(Alice, items));

    public void Dispose() => T.Dispose();
}
