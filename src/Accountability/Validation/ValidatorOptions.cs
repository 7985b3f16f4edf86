namespace P2P.Accountability.Validation;

/// <summary>How the validator fetches records and when it gives up on an executor.</summary>
public sealed record ValidatorOptions
{
    /// <summary>Timeout of one <c>/p2pd/validate/1</c> request.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A record that cannot be fetched is retried on later heads until this many blocks before the deadline; then the verdict says InputsUnavailable.</summary>
    public ulong GiveUpBlocksBeforeDeadline { get; init; } = 2;

    /// <summary>Test cheat: judge every receipt invalid (a lying validator).</summary>
    public bool LieInvalid { get; init; }
}
