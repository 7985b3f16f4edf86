using System.Text.Json.Serialization;

namespace P2P.Daemon.Api;

/// <summary>A machine-readable error code (snake_case) and a human-readable message.</summary>
public sealed record ApiErrorDetail([property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("message")] string Message);
