using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Api;
using Spectre.Console;

namespace P2P.Daemon.Cli;

/// <summary>What a command that queries a running daemon works with: its API address, GET requests that report failures, and the console.</summary>
public sealed class DaemonApiClient(Uri baseAddress, TextWriter output, TextWriter error) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };

    public Uri BaseAddress => baseAddress;

    public TextWriter Output => output;

    /// <summary>The API token file sent as a bearer token with POST requests.</summary>
    public string? TokenFile { get; init; }

    /// <summary>POSTs <paramref name="body"/> as JSON with the bearer token; on failure writes one <c>p2pd: …</c> line (the API's error message when it sent one) and returns null.</summary>
    public async Task<TResponse?> PostAsync<TRequest, TResponse>(string path, TRequest body, CancellationToken cancellation) where TResponse : class
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: JsonSerializerOptions.Web) };
            if (TokenFile is not null && File.Exists(TokenFile)) request.Headers.Authorization = new("Bearer", ApiToken.Read(TokenFile).Value);
            using var response = await _http.SendAsync(request, cancellation);
            if (response.IsSuccessStatusCode) return await response.Content.ReadFromJsonAsync<TResponse>(JsonSerializerOptions.Web, cancellation);
            var text = await response.Content.ReadAsStringAsync(cancellation);
            string message = text;
            try { message = JsonSerializer.Deserialize<ApiError>(text, JsonSerializerOptions.Web)?.Error.Message ?? text; } catch (JsonException) { }
            error.WriteLine($"p2pd: {path}: {(int)response.StatusCode} {message}");
            return null;
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or JsonException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error.WriteLine($"p2pd: no daemon answered at {baseAddress} (is 'p2pd run' up with the same --data-dir and Api settings?): {failure.Message}");
            return null;
        }
    }

    /// <summary>GETs <paramref name="path"/> as JSON; on failure writes one <c>p2pd: …</c> line to the error writer and returns null.</summary>
    public Task<T?> GetAsync<T>(string path, CancellationToken cancellation) where T : class => GetAsync<T>(path, report: true, cancellation);

    /// <summary>GETs <paramref name="path"/> as JSON; null when it fails (for optional parts of an answer).</summary>
    public Task<T?> TryGetAsync<T>(string path, CancellationToken cancellation) where T : class => GetAsync<T>(path, report: false, cancellation);

    private async Task<T?> GetAsync<T>(string path, bool report, CancellationToken cancellation) where T : class
    {
        try
        {
            var answer = await _http.GetFromJsonAsync<T>(path, JsonSerializerOptions.Web, cancellation);
            if (answer is null && report) error.WriteLine($"p2pd: empty answer to {path} from {baseAddress}");
            return answer;
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or JsonException)
        {
            if (report) error.WriteLine($"p2pd: no daemon answered at {baseAddress} (is 'p2pd run' up with the same --data-dir and Api settings?): {failure.Message}");
            return null;
        }
    }

    /// <summary>A Spectre console on the output writer: colours on a terminal, plain and wide when redirected.</summary>
    public IAnsiConsole CreateConsole()
    {
        var redirected = output != Console.Out || Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (redirected) console.Profile.Width = 250;
        return console;
    }

    /// <summary>Where to reach the API: a wildcard bind address is reached through loopback.</summary>
    public static Uri ApiBaseAddress(ApiOptions api)
    {
        var address = api.BindIPAddress();
        if (address.Equals(IPAddress.Any)) address = IPAddress.Loopback;
        if (address.Equals(IPAddress.IPv6Any)) address = IPAddress.IPv6Loopback;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new Uri($"http://{host}:{api.Port}/");
    }

    public void Dispose() => _http.Dispose();
}
