namespace P2P.Daemon.Configuration;

/// <summary>The daemon cannot start with this configuration; <see cref="Subject"/> is the key or path at fault. Exit code 2.</summary>
public sealed class ConfigurationException(string subject, string problem, Exception? inner = null)
    : Exception($"{subject}: {problem}", inner)
{
    public string Subject { get; } = subject;
}
