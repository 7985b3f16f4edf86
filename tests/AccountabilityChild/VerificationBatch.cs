using P2P.InferenceNetwork.Receipts;

namespace P2P.Accountability.Child;

/// <summary>What the child re-runs: the model spec the validator serves and the (record, claim) pairs to verify.</summary>
public sealed record VerificationBatch(string ModelSpec, int Threads, IReadOnlyList<VerificationCase> Cases);

/// <summary>One receipt to verify: the executor's record and the receipt's claims.</summary>
public sealed record VerificationCase(SpanRecord Record, ReceiptFields Claim);
