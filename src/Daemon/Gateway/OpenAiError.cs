using Microsoft.AspNetCore.Http;

namespace P2P.Daemon.Gateway;

/// <summary>An OpenAI-style error: <c>{"error":{"message","type","param","code"}}</c> with its HTTP status.</summary>
public sealed class OpenAiError(int status, string type, string code, string message, string? param = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    public string Code { get; } = code;

    public string? Param { get; } = param;

    public object Body => new { error = new { message = Message, type = Type, param = Param, code = Code } };

    public IResult ToResult() => Results.Json(Body, statusCode: Status);

    public static OpenAiError Invalid(string message, string? param = null, string code = "invalid_value") =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", code, message, param);
}
