using System.Reflection;

namespace P2P.Daemon.Node;

/// <summary>The p2pd version string: the informational version, with the git revision it carries cut to 12 hex digits (like <c>git describe</c>).</summary>
public static class DaemonVersion
{
    private const int RevisionDigits = 12;

    public static string Text { get; } = Shorten(
        typeof(DaemonVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(DaemonVersion).Assembly.GetName().Version?.ToString() ?? "unknown");

    /// <summary><c>0.1.0+&lt;40 hex digits&gt;</c> → <c>0.1.0+&lt;12 hex digits&gt;</c>; anything else unchanged.</summary>
    public static string Shorten(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0) return version;
        var metadata = version[(plus + 1)..];
        return metadata.Length > RevisionDigits && metadata.All(Uri.IsHexDigit) ? version[..(plus + 1 + RevisionDigits)] : version;
    }
}
