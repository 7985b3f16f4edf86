namespace P2P.InferenceNetwork.Routing;

/// <summary>A request the network could not serve; <see cref="Code"/> is an OpenAI-style error code.</summary>
public sealed class InferenceFailedException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
