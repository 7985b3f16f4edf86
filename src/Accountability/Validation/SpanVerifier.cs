using P2P.Consensus.Blocks;
using P2P.Inference.Runtime;
using P2P.InferenceNetwork.Generation;
using P2P.InferenceNetwork.Receipts;

namespace P2P.Accountability.Validation;

/// <summary>
/// Re-runs one receipt's session in deterministic mode and compares every hash exactly. First the executor's record
/// must hash to its receipt (else <see cref="VerdictReason.InputsUnavailable"/>); then a generation is replayed teacher-forced
/// — the claimed tokens are fed back and the same seeded sampler must pick each of them — and a span's input chunks are
/// run in the executor's chunking, each output compared byte for byte; last the log-prob commitment.
/// </summary>
public sealed class SpanVerifier(ReexecutionShards shards)
{
    public VerificationOutcome Verify(SpanRecord record, ReceiptFields claim)
    {
        if (record.ModelId != claim.ModelId || record.Start != claim.Start || record.End != claim.End)
            return VerificationOutcome.Missing("the record names another model or span than the receipt");
        var shard = shards.Find(claim.ModelId, claim.Start, claim.End);
        if (shard is null) return VerificationOutcome.Missing("this node cannot run the receipt's span");
        bool generation = record.Sampling is not null;
        var inputKind = claim.Start == 0 ? PayloadKind.Tokens : PayloadKind.Hidden;
        var outputKind = generation ? PayloadKind.Tokens : claim.End == shard.Config.NumLayers ? PayloadKind.Logits : PayloadKind.Hidden;
        if (record.InputKind != inputKind || record.OutputKind != outputKind || (generation && (claim.Start != 0 || claim.End != shard.Config.NumLayers)))
            return VerificationOutcome.Missing("the record's payload kinds do not fit the span");
        if (!ReceiptHashing.SamplingHash(record.Sampling).AsSpan().SequenceEqual(claim.SamplingHash))
            return VerificationOutcome.Missing("the record's sampling parameters do not hash to the receipt's");
        if (!ReceiptHashing.ChunksHash(ReceiptHashing.InputDomain, inputKind, record.Inputs).AsSpan().SequenceEqual(claim.InputHash))
            return VerificationOutcome.Missing("the record's inputs do not hash to the receipt's input hash");
        if (!ReceiptHashing.ChunksHash(ReceiptHashing.OutputDomain, outputKind, record.Outputs).AsSpan().SequenceEqual(claim.OutputHash))
            return VerificationOutcome.Missing("the record's outputs do not hash to the receipt's output hash");
        try
        {
            return generation ? ReplayGeneration(shard, record, claim) : ReplaySpan(shard, record, claim, outputKind);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or SessionEvictedException)
        {
            // The executor signed inputs the model cannot run: nothing honest produced these outputs.
            return new VerificationOutcome(VerdictReason.OutputMismatch, new byte[32], $"the inputs cannot be run: {e.Message}");
        }
    }

    private static VerificationOutcome ReplayGeneration(TransformerShard shard, SpanRecord record, ReceiptFields claim)
    {
        var sampling = record.Sampling!;
        if (record.Inputs.Length != 1) return VerificationOutcome.Missing("a generation has exactly one input chunk, the prompt");
        var prompt = ReceiptHashing.TokensOf(record.Inputs[0].Bytes);
        var claimed = record.Outputs.SelectMany(c => ReceiptHashing.TokensOf(c.Bytes)).ToArray();
        var config = shard.Config;
        if (prompt.Length == 0 || prompt.Length >= config.MaxPositions || prompt.Any(t => (uint)t >= (uint)config.VocabSize) || sampling.MaxTokens < 0)
            return new VerificationOutcome(VerdictReason.OutputMismatch, new byte[32], "the prompt or parameters are not runnable");
        var selector = new TokenSelector(new GenerationParameters
        {
            MaxTokens = sampling.MaxTokens,
            Sampling = new() { Temperature = sampling.Temperature, TopK = sampling.TopK, TopP = sampling.TopP, Seed = sampling.Seed },
            StopTokens = sampling.StopTokens.ToHashSet(),
        }, config.MaxPositions, sampling.ResumedAfter);
        var produced = new List<DataChunk>();
        var rows = new List<byte[]>();
        using var session = shard.CreateSession();
        int[] input = prompt;
        string? mismatch = null;
        while (true)
        {
            var hidden = shard.Embed(input);
            shard.Forward([session], [input.Length], hidden);
            var logits = shard.Logits(hidden, [input.Length - 1]);
            rows.Add(ReceiptHashing.LogProbRow(logits));
            var selected = selector.Next(logits, session.Position);
            if (selected.Token is not { } token) break;
            produced.Add(new DataChunk(1, ReceiptHashing.TokenBytes([token])));
            if (produced.Count > claimed.Length || claimed[produced.Count - 1] != token)
            {
                mismatch = $"token {produced.Count - 1}: the sampler picks {token}, the executor claimed {(produced.Count > claimed.Length ? "none" : claimed[produced.Count - 1])}";
                break;
            }
            if (selected.FinishReason is not null) break;
            input = [token];
        }
        var outputHash = ReceiptHashing.ChunksHash(ReceiptHashing.OutputDomain, PayloadKind.Tokens, produced);
        if (mismatch is null && produced.Count != claimed.Length) mismatch = $"the sampler stops after {produced.Count} tokens, the executor claimed {claimed.Length}";
        if (mismatch is not null) return new VerificationOutcome(VerdictReason.OutputMismatch, outputHash, mismatch);
        return CompareLogProbs(rows, claim, outputHash);
    }

    private static VerificationOutcome ReplaySpan(TransformerShard shard, SpanRecord record, ReceiptFields claim, PayloadKind outputKind)
    {
        int d = shard.Config.HiddenSize;
        if (record.Inputs.Length != record.Outputs.Length) return new VerificationOutcome(VerdictReason.OutputMismatch, new byte[32], "one output chunk per input chunk is required");
        var produced = new List<DataChunk>();
        var rows = new List<byte[]>();
        using var session = shard.CreateSession();
        string? mismatch = null;
        for (int i = 0; i < record.Inputs.Length; i++)
        {
            var chunk = record.Inputs[i];
            float[] hidden = claim.Start == 0 ? shard.Embed(ReceiptHashing.TokensOf(chunk.Bytes)) : ReceiptHashing.FloatsOf(chunk.Bytes);
            int count = hidden.Length / d;
            if (count == 0 || count != chunk.Rows || hidden.Length != count * d || session.Position + count > shard.Config.MaxPositions)
                return new VerificationOutcome(VerdictReason.OutputMismatch, new byte[32], $"input chunk {i} is not runnable");
            shard.Forward([session], [count], hidden);
            byte[] output;
            int outputRows;
            if (outputKind == PayloadKind.Logits)
            {
                var logits = shard.Logits(hidden, [count - 1]);
                rows.Add(ReceiptHashing.LogProbRow(logits));
                output = ReceiptHashing.FloatBytes(logits);
                outputRows = 1;
            }
            else
            {
                output = ReceiptHashing.FloatBytes(hidden);
                outputRows = count;
            }
            produced.Add(new DataChunk(outputRows, output));
            if (mismatch is null && (record.Outputs[i].Rows != outputRows || !record.Outputs[i].Bytes.AsSpan().SequenceEqual(output)))
                mismatch = $"output chunk {i} differs from the re-run";
        }
        var outputHash = ReceiptHashing.ChunksHash(ReceiptHashing.OutputDomain, outputKind, produced);
        if (mismatch is not null) return new VerificationOutcome(VerdictReason.OutputMismatch, outputHash, mismatch);
        return CompareLogProbs(rows, claim, outputHash);
    }

    private static VerificationOutcome CompareLogProbs(List<byte[]> rows, ReceiptFields claim, byte[] outputHash) =>
        ReceiptHashing.LogProbCommitment(rows).AsSpan().SequenceEqual(claim.LogProbCommitment)
            ? new VerificationOutcome(VerdictReason.Reproduced, outputHash, "reproduced exactly")
            : new VerificationOutcome(VerdictReason.LogProbMismatch, outputHash, "the top log-probs differ from the commitment");
}
