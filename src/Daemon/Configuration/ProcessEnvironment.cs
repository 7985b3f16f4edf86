using System.Collections;

namespace P2P.Daemon.Configuration;

/// <summary>The facts about the process the daemon reads once at start-up, injectable for tests.</summary>
public sealed record ProcessEnvironment(IReadOnlyDictionary<string, string> Variables, bool IsRoot, string HomeDirectory)
{
    public static ProcessEnvironment Current()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value) variables[key] = value;
        }
        // On Unix, UserName is the name of the effective uid.
        var isRoot = !OperatingSystem.IsWindows() && Environment.UserName == "root";
        return new(variables, isRoot, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
    }
}
