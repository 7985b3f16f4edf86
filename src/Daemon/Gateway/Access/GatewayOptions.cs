using P2P.Daemon.Configuration;

namespace P2P.Daemon.Gateway.Access;

/// <summary>Who may use the OpenAI-compatible <c>/v1/*</c> endpoints and how much (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions : IValidatableOptions
{
    /// <summary>A file of bearer keys (one per line, plain or <c>sha256:&lt;hex&gt;</c>); empty leaves <c>/v1/*</c> open. Relative paths are under the data directory.</summary>
    public string ApiKeysFile { get; set; } = "";

    /// <summary>Requests each client may start per minute, on average (the token bucket's refill); 0 turns the request-rate limit off.</summary>
    public int RateLimitRequestsPerMinute { get; set; } = 600;

    /// <summary>Requests a client may start at once after being idle (the token bucket's size).</summary>
    public int RateLimitBurst { get; set; } = 100;

    /// <summary>Requests (streams included) each client may have in flight at once; 0 turns the concurrency limit off.</summary>
    public int MaxConcurrentRequestsPerClient { get; set; } = 16;

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (RateLimitRequestsPerMinute is < 0 or > 1_000_000) yield return new("RateLimitRequestsPerMinute", $"{RateLimitRequestsPerMinute} is out of range (0-1000000; 0 = no limit)");
        if (RateLimitBurst is < 1 or > 1_000_000) yield return new("RateLimitBurst", $"{RateLimitBurst} is out of range (1-1000000)");
        if (MaxConcurrentRequestsPerClient is < 0 or > 100_000) yield return new("MaxConcurrentRequestsPerClient", $"{MaxConcurrentRequestsPerClient} is out of range (0-100000; 0 = no limit)");
        if (KeysFileProblem(dataDirectory) is { } problem) yield return new("ApiKeysFile", problem);
    }

    public bool KeysRequired => !string.IsNullOrWhiteSpace(ApiKeysFile);

    public string ResolveApiKeysFile(DataDirectory dataDirectory) => dataDirectory.Resolve(ApiKeysFile.Trim());

    /// <summary>The file is read here too, so that a key file that would fail at start-up fails the configuration check, naming the key.</summary>
    private string? KeysFileProblem(DataDirectory dataDirectory)
    {
        if (!KeysRequired) return null;
        var path = ResolveApiKeysFile(dataDirectory);
        if (!File.Exists(path)) return $"{path} does not exist (one key per line; see docs/operations.md, 'Exposing a gateway')";
        try
        {
            SecretFileMode.Check(path, "the API keys file");
            GatewayApiKeys.Read(path);
            return null;
        }
        catch (ConfigurationException failure)
        {
            return failure.Message;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return $"{path}: {failure.Message}";
        }
    }
}
