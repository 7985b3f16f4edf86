using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using P2P.Daemon.Devnet;

namespace P2P.Bench.Soak;

/// <summary>One load client: chat completions through one gateway, one after another, alternately streamed and not.</summary>
public sealed class SoakClient(DevnetNode gateway, string model, Func<DevnetNode, bool> wasDown)
{
    /// <summary>Above the gateway's own bound (Inference:RequestTimeoutSeconds, 120 s): a gateway always answers before this.</summary>
    private static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(130);

    public Dictionary<RequestOutcome, int> Outcomes { get; } = Enum.GetValues<RequestOutcome>().ToDictionary(o => o, _ => 0);

    public Dictionary<string, int> ErrorCodes { get; } = [];

    public List<string> UncleanDetails { get; } = [];

    public async Task RunAsync(DateTime until)
    {
        using var http = new HttpClient { Timeout = RequestBound };
        bool stream = false;
        while (DateTime.UtcNow < until)
        {
            stream = !stream;
            var (outcome, detail) = await RequestAsync(http, stream);
            Outcomes[outcome]++;
            if (outcome == RequestOutcome.CleanError) ErrorCodes[detail] = ErrorCodes.GetValueOrDefault(detail) + 1;
            if (outcome == RequestOutcome.Unclean && UncleanDetails.Count < 20) UncleanDetails.Add($"node {gateway.Name}: {detail}");
            // A gateway that is down, or one without an executor, answers at once: a client backs off rather than spin
            // (and the counts stay a measure of time, not of how fast an error comes back).
            if (outcome == RequestOutcome.GatewayDown) await Task.Delay(500);
            else if (outcome == RequestOutcome.CleanError) await Task.Delay(100);
        }
    }

    private async Task<(RequestOutcome, string)> RequestAsync(HttpClient http, bool stream)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = model,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = "Once upon a time" } },
            ["max_tokens"] = 16,
            ["stream"] = stream,
        });
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.ApiUrl, "v1/chat/completions")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode) return ErrorOf(await response.Content.ReadAsStringAsync(), $"HTTP {(int)response.StatusCode}");
            return stream ? await ReadStreamAsync(response) : ReadWhole(await response.Content.ReadFromJsonAsync<JsonElement>());
        }
        catch (Exception failure) when (failure is HttpRequestException or IOException or JsonException)
        {
            return wasDown(gateway) ? (RequestOutcome.GatewayDown, "") : (RequestOutcome.Unclean, $"{failure.GetType().Name}: {failure.Message}");
        }
        catch (TaskCanceledException)
        {
            return (RequestOutcome.Unclean, $"no answer within {RequestBound.TotalSeconds:F0} s");
        }
    }

    private static (RequestOutcome, string) ErrorOf(string text, string status)
    {
        try
        {
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            return (RequestOutcome.CleanError, $"{status} {(error.TryGetProperty("code", out var code) ? code.ToString() : error.GetProperty("type").GetString())}");
        }
        catch (Exception failure) when (failure is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (RequestOutcome.Unclean, $"{status} without a JSON error: {text[..Math.Min(200, text.Length)]}");
        }
    }

    private static (RequestOutcome, string) ReadWhole(JsonElement answer)
    {
        var choice = answer.GetProperty("choices")[0];
        return choice.GetProperty("finish_reason").GetString() is "length" or "stop" && choice.GetProperty("message").GetProperty("content").ValueKind == JsonValueKind.String
            ? (RequestOutcome.Complete, "")
            : (RequestOutcome.Unclean, "answer without a finish reason: " + answer);
    }

    private async Task<(RequestOutcome, string)> ReadStreamAsync(HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? finish = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var data = line["data: ".Length..];
            if (data == "[DONE]") return finish is not null ? (RequestOutcome.Complete, "") : (RequestOutcome.Unclean, "[DONE] without a finish reason");
            var chunk = JsonDocument.Parse(data).RootElement;
            if (chunk.TryGetProperty("error", out _)) return ErrorOf(data, "stream");
            if (chunk.GetProperty("choices")[0].TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String) finish = reason.GetString();
        }
        return wasDown(gateway) ? (RequestOutcome.GatewayDown, "") : (RequestOutcome.Unclean, "the stream ended without [DONE]");
    }
}
