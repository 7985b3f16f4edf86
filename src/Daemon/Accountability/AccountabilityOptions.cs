using P2P.Daemon.Configuration;
using P2P.InferenceNetwork.Cheats;

namespace P2P.Daemon.Accountability;

/// <summary>Receipts, validation and service declarations (section <c>Accountability</c>); active when a chain is configured.</summary>
public sealed class AccountabilityOptions : IValidatableOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Records (inputs and claimed outputs of signed receipts) kept for validators.</summary>
    public int MaxRecords { get; set; } = 10_000;

    /// <summary>Their total size, in MiB.</summary>
    public int MaxRecordMegabytes { get; set; } = 256;

    /// <summary>How long a record is kept; longer than the verdict deadline (genesis blocks × block time) with margin.</summary>
    public int RecordMinutes { get; set; } = 30;

    /// <summary>Threads of the validator's deterministic re-runs.</summary>
    public int ValidatorThreads { get; set; } = 1;

    /// <summary>How often the node checks the head for new assignments and epochs.</summary>
    public int PollMilliseconds { get; set; } = 500;

    /// <summary>Receipts this gateway published and keeps publishing again until a block includes them.</summary>
    public int RepublishCapacity { get; set; } = 4096;

    /// <summary>Blocks after a receipt's publish without it on chain before it is published again.</summary>
    public int RepublishAfterBlocks { get; set; } = 2;

    /// <summary>The wait between re-publishes doubles up to this many blocks.</summary>
    public int RepublishMaxWaitBlocks { get; set; } = 16;

    /// <summary>
    /// Test only (<c>--unsafe-test-cheat</c>): perturb-logits, smaller-model, skip-layers or lie-invalid. Refused unless the
    /// genesis uses the devnet work profile.
    /// </summary>
    public string UnsafeTestCheat { get; set; } = "";

    public ExecutorCheat Cheat => ExecutorCheats.Parse(UnsafeTestCheat);

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (MaxRecords is < 1 or > 1_000_000) yield return new("MaxRecords", "must be 1..1000000");
        if (MaxRecordMegabytes is < 1 or > 65_536) yield return new("MaxRecordMegabytes", "must be 1..65536");
        if (RecordMinutes is < 1 or > 10_080) yield return new("RecordMinutes", "must be 1..10080");
        if (ValidatorThreads is < 1 or > 256) yield return new("ValidatorThreads", "must be 1..256");
        if (PollMilliseconds is < 50 or > 60_000) yield return new("PollMilliseconds", "must be 50..60000");
        if (RepublishCapacity is < 1 or > 1_000_000) yield return new("RepublishCapacity", "must be 1..1000000");
        if (RepublishAfterBlocks is < 1 or > 1000) yield return new("RepublishAfterBlocks", "must be 1..1000");
        if (RepublishMaxWaitBlocks < RepublishAfterBlocks || RepublishMaxWaitBlocks > 1000) yield return new("RepublishMaxWaitBlocks", "must be RepublishAfterBlocks..1000");
        if (UnsafeTestCheat.Length > 0 && !ExecutorCheats.ByName.ContainsKey(UnsafeTestCheat))
            yield return new("UnsafeTestCheat", $"unknown test cheat '{UnsafeTestCheat}' (known: {string.Join(", ", ExecutorCheats.ByName.Keys)})");
    }
}
