using System.Net;
using P2P.Daemon.Configuration;

namespace P2P.Daemon.Api;

/// <summary>The HTTP API listener (section <c>Api</c>).</summary>
public sealed class ApiOptions : IValidatableOptions
{
    public const int DefaultPort = 9480;

    public int Port { get; set; } = DefaultPort;

    /// <summary>Loopback by default: the API is for the node's operator, not the internet.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Host names accepted in the <c>Host</c> header besides <c>localhost</c> and the bound address (DNS-rebinding protection).</summary>
    public List<string> AllowedHosts { get; set; } = [];

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (Port is < 1 or > 65535) yield return new("Port", $"{Port} is not a valid TCP port (1-65535)");
        if (!IPAddress.TryParse(BindAddress, out _)) yield return new("BindAddress", $"'{BindAddress}' is not an IP address");
        for (var i = 0; i < AllowedHosts.Count; i++)
        {
            if (Uri.CheckHostName(AllowedHosts[i]) is UriHostNameType.Unknown or UriHostNameType.Basic)
                yield return new($"AllowedHosts:{i}", $"'{AllowedHosts[i]}' is not a host name or IP address (no scheme, no port)");
        }
    }

    public IPAddress BindIPAddress() => IPAddress.Parse(BindAddress);

    /// <summary>Whether the API is reachable from other machines (anything but a loopback address).</summary>
    public bool IsBeyondLoopback => !IPAddress.IsLoopback(BindIPAddress());
}
