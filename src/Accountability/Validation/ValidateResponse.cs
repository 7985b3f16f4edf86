using P2P.InferenceNetwork.Receipts;

namespace P2P.Accountability.Validation;

/// <summary>The answer to a <see cref="ValidateRequest"/>: the record, or why there is none.</summary>
public sealed record ValidateResponse
{
    public SpanRecord? Record { get; init; }

    /// <summary>Set when <see cref="Record"/> is null: <c>not_found</c> or <c>bad_request</c>.</summary>
    public string? Code { get; init; }

    public string? Message { get; init; }
}
