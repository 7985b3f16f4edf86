namespace P2P.InferenceNetwork.Protocol;

/// <summary>One message of the stream answering an <see cref="InferRequest"/>.</summary>
public sealed record InferResponse
{
    public string Kind { get; init; } = InferKinds.Token;

    public int Token { get; init; }

    public float LogProb { get; init; }

    public InferTopLogProb[] Top { get; init; } = [];

    /// <summary>P2PH float32: output hidden states (<see cref="InferKinds.Hidden"/>) or one row of logits (<see cref="InferKinds.Logits"/>).</summary>
    public byte[]? Data { get; init; }

    public string? FinishReason { get; init; }

    public string? Code { get; init; }

    public string? Message { get; init; }

    /// <summary>The executor's signed receipt (consensus encoding) on the last message of a session: the final token or done of a generation, the answer to a span's close.</summary>
    public byte[]? Receipt { get; init; }

    public static InferResponse Failure(string code, string message) => new() { Kind = InferKinds.Error, Code = code, Message = message };
}
