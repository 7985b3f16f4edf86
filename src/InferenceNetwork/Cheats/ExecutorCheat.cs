namespace P2P.InferenceNetwork.Cheats;

/// <summary>Ways a test executor (or validator) lies on purpose so the tests can prove it is caught (<c>--unsafe-test-cheat</c>, devnet only).</summary>
public enum ExecutorCheat
{
    None,

    /// <summary>Adds a small offset to every logit (whole model, last span) or to the output hidden states (other spans).</summary>
    PerturbLogits,

    /// <summary>Computes with a seeded stand-in of half the feed-forward width instead of the model it names.</summary>
    SmallerModel,

    /// <summary>Skips the last layer of its span (a one-layer span passes its input through).</summary>
    SkipLayers,

    /// <summary>A validator that judges every receipt invalid.</summary>
    LieInvalid,
}
