using Microsoft.Extensions.Logging;
using P2P.Daemon.Configuration;

namespace P2P.Daemon.Hosting;

/// <summary>Console logging (section <c>Logging</c>).</summary>
public sealed class LoggingOptions : IValidatableOptions
{
    public LogLevel Level { get; set; } = LogLevel.Information;

    public LogFormat Format { get; set; } = LogFormat.Auto;

    /// <summary>Per-category minimum levels, e.g. <c>"P2P.Networking": "Debug"</c>.</summary>
    public Dictionary<string, LogLevel> Categories { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory) => [];

    public LogFormat EffectiveFormat(IReadOnlyDictionary<string, string> environment) =>
        Format != LogFormat.Auto ? Format : environment.ContainsKey("JOURNAL_STREAM") ? LogFormat.Systemd : LogFormat.Plain;
}
