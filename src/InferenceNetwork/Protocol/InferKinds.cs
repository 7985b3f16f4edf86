namespace P2P.InferenceNetwork.Protocol;

/// <summary>Values of <see cref="InferRequest.Kind"/> and <see cref="InferResponse.Kind"/>.</summary>
public static class InferKinds
{
    public const string Generate = "generate";
    public const string Step = "step";
    public const string Close = "close";
    public const string Token = "token";
    public const string Hidden = "hidden";
    public const string Logits = "logits";
    public const string Done = "done";
    public const string Error = "error";
}
