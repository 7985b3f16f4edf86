using System.Text.Json.Serialization;

namespace P2P.Daemon.Api;

/// <summary>The body of every API error: <c>{ "error": { "code", "message" } }</c>.</summary>
public sealed record ApiError([property: JsonPropertyName("error")] ApiErrorDetail Error)
{
    public static ApiError Of(string code, string message) => new(new ApiErrorDetail(code, message));
}
