using P2P.Daemon.Configuration;

namespace P2P.Daemon.Hosting;

/// <summary>Process lifetime (section <c>Host</c>).</summary>
public sealed class DaemonHostOptions : IValidatableOptions
{
    /// <summary>How long services get to stop after SIGTERM/SIGINT before the process exits anyway.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 10;

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (ShutdownTimeoutSeconds is < 1 or > 600) yield return new("ShutdownTimeoutSeconds", $"{ShutdownTimeoutSeconds} is out of range (1-600)");
    }
}
