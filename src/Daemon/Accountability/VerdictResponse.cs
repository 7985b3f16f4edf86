namespace P2P.Daemon.Accountability;

/// <summary>One verdict on a receipt as the chain recorded it.</summary>
public sealed record VerdictResponse(string Validator, bool Valid, string Reason, ulong Height);
