namespace P2P.InferenceNetwork.Protocol;

/// <summary>Values of <see cref="InferResponse.Code"/> on an error response.</summary>
public static class InferErrorCodes
{
    public const string Busy = "busy";
    public const string UnknownModel = "unknown_model";
    public const string UnknownSession = "unknown_session";
    public const string BadRequest = "bad_request";
    public const string Internal = "internal";
}
