using P2P.Networking.RequestResponse;

namespace P2P.InferenceNetwork.Protocol;

/// <summary>The <c>/p2pd/infer/1</c> definition: codecs with their size limits and the timeouts of every message.</summary>
public static class InferProtocol
{
    public const string Id = "/p2pd/infer/1";

    /// <summary>Largest request: a prompt's worth of hidden states, base64 in JSON.</summary>
    public const int MaxRequestBytes = 16 << 20;

    /// <summary>Largest response message: hidden states or one row of logits.</summary>
    public const int MaxResponseBytes = 16 << 20;

    public static RequestResponseDefinition<InferRequest, InferResponse> Definition(TimeSpan? firstResponse = null, TimeSpan? idle = null) => new(
        Id,
        new JsonMessageCodec<InferRequest>(MaxRequestBytes),
        new JsonMessageCodec<InferResponse>(MaxResponseBytes),
        new RequestResponseOptions
        {
            Timeout = firstResponse ?? TimeSpan.FromSeconds(30),
            StreamIdleTimeout = idle ?? TimeSpan.FromSeconds(15),
            MaxResponseMessages = 8192,
            MaxConcurrentPerPeer = 32,
            MaxConcurrent = 128,
        });
}
