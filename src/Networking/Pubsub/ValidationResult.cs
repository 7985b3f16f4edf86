namespace P2P.Networking.Pubsub;

/// <summary>An application validator's verdict on a message.</summary>
public enum ValidationResult
{
    /// <summary>Valid: deliver and forward.</summary>
    Accept,
    /// <summary>Invalid: drop and penalise the sender (P4).</summary>
    Reject,
    /// <summary>Not wanted now (e.g. stale): drop without penalty.</summary>
    Ignore,
}
