using System.Net;

namespace P2P.Daemon.Configuration;

/// <summary>The HTTP API listener (section <c>Api</c>).</summary>
public sealed class ApiOptions : IValidatableOptions
{
    public const int DefaultPort = 9480;

    public int Port { get; set; } = DefaultPort;

    /// <summary>Loopback by default: the API is for the node's operator, not the internet.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (Port is < 1 or > 65535) yield return new("Port", $"{Port} is not a valid TCP port (1-65535)");
        if (!IPAddress.TryParse(BindAddress, out _)) yield return new("BindAddress", $"'{BindAddress}' is not an IP address");
    }

    public IPAddress BindIPAddress() => IPAddress.Parse(BindAddress);
}
