using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Genesis;
using P2P.Consensus.Ledger;
using P2P.Consensus.Mining;
using P2P.Consensus.Rules;
using P2P.Consensus.State;
using P2P.Networking.Identity;

namespace P2P.Consensus.Tests.Docs;

/// <summary>The test vectors of docs/consensus.md §10, computed from the code.</summary>
public static class ConsensusVectors
{
    public static Ed25519PrivateKey KeyFromSeed(byte first)
    {
        var seed = new byte[32];
        seed[0] = first;
        seed[31] = 0x5A;
        return Ed25519PrivateKey.FromSeed(seed);
    }

    public static IReadOnlyList<(string Name, string Value)> Compute()
    {
        static string Hex(byte[] b) => Convert.ToHexStringLower(b);
        var genesis = GenesisConfig.Devnet(1_767_225_600);
        var math = new ChainMath(genesis);
        var genesisBlock = GenesisBlock.For(genesis);
        var alice = KeyFromSeed(1);
        var bob = KeyFromSeed(2);
        var transfer = Transfer.Create(alice, genesis.ChainId, Signing.PublicKeyOf(bob), 5, 1, 0);
        var receipt = new Receipt
        {
            Executor = new byte[32],
            TaskId = Fill(7),
            Model = Fill(2),
            ShardStart = 0,
            ShardEnd = 4,
            Deterministic = true,
            SamplingHash = Fill(6),
            InputHash = Fill(3),
            OutputHash = Fill(4),
            LogProbCommitment = Fill(5),
            InputCount = 3,
            OutputCount = 2,
            Epoch = 0,
            Signature = new byte[64],
        }.SignedBy(bob, genesis.ChainId);
        var carol = KeyFromSeed(3);
        var verdict = new Verdict
        {
            ReceiptId = receipt.Id(genesis.ChainId),
            Validator = new byte[32],
            Valid = false,
            Reason = VerdictReason.OutputMismatch,
            OutputHash = Fill(9),
            Epoch = 0,
            Signature = new byte[64],
        }.SignedBy(carol, genesis.ChainId);
        var declaration = ServiceDeclaration.Create(carol, genesis.ChainId, Fill(2), 0, 8, 0);
        IReadOnlyList<BodyItem> items = [transfer, receipt];
        var header = new BlockHeader
        {
            ChainId = genesis.ChainId,
            Height = 1,
            ParentHash = genesisBlock.Hash(),
            Timestamp = genesis.Timestamp + 5,
            Bits = math.NextBits(1, genesis.Timestamp),
            Epoch = 0,
            BodyRoot = MerkleTree.Root(items),
            Miner = Signing.PublicKeyOf(alice),
            Nonce = 42,
        };
        var block = new Block(header, items);
        var split = RewardSplit.Split(0, 1000, [new MinerWeight(Fill(1), 1), new MinerWeight(Fill(2), 2), new MinerWeight(Fill(3), 4)],
            new SortedSet<byte[]>(ByteArrayComparer.Instance));
        return
        [
            ("genesis.json_timestamp", genesis.Timestamp.ToString()),
            ("genesis.canonical_bytes", Hex(genesis.CanonicalBytes())),
            ("genesis.chain_id", Hex(genesis.ChainId)),
            ("genesis.block_hash", Hex(genesisBlock.Hash())),
            ("key.alice_seed", "01" + new string('0', 60) + "5a"),
            ("key.alice_public", Hex(Signing.PublicKeyOf(alice))),
            ("key.bob_public", Hex(Signing.PublicKeyOf(bob))),
            ("transfer.signing_bytes", Hex(transfer.SigningBytes(genesis.ChainId))),
            ("transfer.bytes", Hex(transfer.Encode())),
            ("receipt.bytes", Hex(receipt.Encode())),
            ("receipt.id", Hex(receipt.Id(genesis.ChainId))),
            ("verdict.bytes", Hex(verdict.Encode())),
            ("declaration.bytes", Hex(declaration.Encode())),
            ("block1.body_root", Hex(header.BodyRoot)),
            ("block1.bits", header.Bits.ToString("x8")),
            ("block1.header_bytes", Hex(header.Encode())),
            ("block1.hash", Hex(header.Hash())),
            ("block1.work_challenge", Hex(header.WorkChallenge())),
            ("block1.work_hash", Hex(HeaderWork.Hash(math, header, genesisBlock.Hash()))),
            ("block1.bytes_sha256", Hex(System.Security.Cryptography.SHA256.HashData(block.Encode()))),
            ("work.block_0x1f008000", ChainMath.BlockWork(0x1f008000).ToString()),
            ("work.share_credit_0x1f008000_k4", math.ShareCredit(0x1f008000).ToString()),
            ("split.1000_by_1_2_4", string.Join(",", split.Rewards.Select(r => r.Reward))),
        ];
    }

    private static byte[] Fill(byte value) => Enumerable.Repeat(value, 32).ToArray();
}
