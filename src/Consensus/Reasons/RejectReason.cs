namespace P2P.Consensus.Reasons;

/// <summary>Why a block was not accepted (docs/consensus.md §4). Values are stable: logs, the API and gossip scoring use them.</summary>
public enum RejectReason
{
    None = 0,

    // Encoding and size
    Malformed = 1,
    NonCanonicalEncoding = 2,
    BlockTooLarge = 3,
    TooManyItems = 4,
    ItemsOutOfOrder = 5,
    TooManyShares = 6,

    // Header
    WrongChainId = 10,
    UnsupportedVersion = 11,
    HeightMismatch = 12,
    EpochMismatch = 13,
    TimestampTooEarly = 14,
    TimestampTooFarAhead = 15,
    WrongBits = 16,
    BadBodyRoot = 17,
    InsufficientWork = 18,
    InvalidAncestor = 19,
    ParentUnknown = 20,
    BadMinerKey = 21,

    // Shares
    ShareWrongChainId = 30,
    ShareNotOnChain = 31,
    ShareTooDeep = 32,
    ShareWrongEpoch = 33,
    ShareWrongBits = 34,
    ShareInsufficientWork = 35,
    ShareMeetsBlockTarget = 36,
    ShareDuplicate = 37,
    ShareBadHeader = 38,

    // Transfers
    TransferBadSignature = 40,
    TransferWrongNonce = 41,
    TransferOverspend = 42,
    TransferInvalid = 43,
    BalanceOverflow = 44,

    // Receipts and verdicts
    ReceiptBadSignature = 50,
    ReceiptDuplicate = 51,
    ReceiptWrongEpoch = 52,
    ReceiptInvalid = 53,
    VerdictBadSignature = 60,
    VerdictUnknownReceipt = 61,
    VerdictDuplicate = 62,
    VerdictReceiptFinal = 63,
    VerdictWrongEpoch = 64,
    VerdictBySelf = 65,
    VerdictInconsistent = 66,
    VerdictNotEntitled = 67,
    VerdictTooLate = 68,

    // Service declarations
    DeclarationBadSignature = 70,
    DeclarationWrongEpoch = 71,
    DeclarationInvalid = 72,
    DeclarationDuplicate = 73,
}
