using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Receipts;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;

namespace P2P.Accountability.Validation;

/// <summary>
/// <c>/p2pd/validate/1</c>: a validator asks an executor (or a gateway) for the inputs and claimed outputs behind a
/// receipt. JSON like <c>/p2pd/infer/1</c>; the request is tiny, the response at most <see cref="MaxResponseBytes"/>.
/// </summary>
public static class ValidateProtocol
{
    public const string Id = "/p2pd/validate/1";

    public const int MaxRequestBytes = 1024;

    /// <summary>Largest response: a record of up to <see cref="MaxRecordBytes"/> in base64 plus its JSON.</summary>
    public const int MaxResponseBytes = 24 << 20;

    /// <summary>Largest record an executor keeps (and so can serve).</summary>
    public const long MaxRecordBytes = 16 << 20;

    public static RequestResponseDefinition<ValidateRequest, ValidateResponse> Definition(TimeSpan? timeout = null) => new(
        Id,
        new JsonMessageCodec<ValidateRequest>(MaxRequestBytes),
        new JsonMessageCodec<ValidateResponse>(MaxResponseBytes),
        new RequestResponseOptions { Timeout = timeout ?? TimeSpan.FromSeconds(30), MaxConcurrentPerPeer = 4, MaxConcurrent = 16 });

    /// <summary>The serving side: the record from the store, or not_found.</summary>
    public static RequestHandler<ValidateRequest, ValidateResponse> Handler(SpanRecordStore records) => (PeerId _, ValidateRequest request, CancellationToken _) =>
    {
        if (request.ReceiptId.Length != 32) return Task.FromResult(new ValidateResponse { Code = "bad_request", Message = "a receipt id is 32 bytes" });
        var record = records.Find(request.ReceiptId);
        return Task.FromResult(record is null
            ? new ValidateResponse { Code = "not_found", Message = "no record for this receipt (expired or never kept)" }
            : new ValidateResponse { Record = record });
    };
}
