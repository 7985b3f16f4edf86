using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace P2P.Daemon.Configuration;

/// <summary>
/// Builds the daemon's configuration from, lowest precedence first: the config file (JSON, comments allowed),
/// <c>P2PD__Section__Key</c> environment variables, and <c>--Section:Key=value</c> command-line arguments.
/// </summary>
public static partial class ConfigurationLoader
{
    public const string EnvironmentPrefix = "P2PD__";
    public const int MaxConfigFileBytes = 1 << 20;

    public static IConfigurationRoot Load(string configFile, bool configFileRequired, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> commandLine)
    {
        var builder = new ConfigurationBuilder();
        AddFile(builder, configFile, configFileRequired);
        builder.AddInMemoryCollection(Distinct(FromEnvironment(environment), "in the environment", key => EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal)));
        builder.AddInMemoryCollection(Distinct(FromCommandLine(commandLine), "on the command line", key => "--" + key));
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException error)
        {
            throw new ConfigurationException(configFile, DescribeFileError(error), error);
        }
    }

    /// <summary>
    /// The same key twice in one source (<c>--Api:Port=1 --api:port=2</c>, or <c>P2PD__Api__Port</c> and
    /// <c>P2PD__api__port</c>) is an error: which one was meant cannot be known, and keys are case-insensitive.
    /// </summary>
    private static List<KeyValuePair<string, string?>> Distinct(IEnumerable<KeyValuePair<string, string?>> values, string source, Func<string, string> spell)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var list = new List<KeyValuePair<string, string?>>();
        foreach (var value in values)
        {
            if (seen.TryGetValue(value.Key, out var first))
            {
                var also = string.Equals(first, value.Key, StringComparison.Ordinal) ? "" : $" (as {spell(first)} and {spell(value.Key)}; keys are case-insensitive)";
                throw new ConfigurationException(value.Key, $"given twice {source}{also}; give each setting once");
            }
            seen[value.Key] = value.Key;
            list.Add(value);
        }
        return list;
    }

    /// <summary>The JSON reader's error with its line and column (1-based), or the duplicate key the parser found.</summary>
    private static string DescribeFileError(InvalidDataException error)
    {
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException { LineNumber: { } line } json)
            {
                var column = (json.BytePositionInLine ?? 0) + 1;
                var reason = PositionSuffix().Replace(json.Message, "").TrimEnd();
                return $"config file is not valid JSON at line {line + 1}, column {column}: {reason}";
            }
        }
        var innermost = error.GetBaseException();
        return innermost is FormatException format && format.Message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase)
            ? $"config file sets a key twice: {format.Message} (keys are case-insensitive)"
            : $"config file is not valid JSON: {innermost.Message}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?$")]
    private static partial System.Text.RegularExpressions.Regex PositionSuffix();

    /// <summary><c>P2PD__Api__Port=9000</c> becomes <c>Api:Port = 9000</c>; other variables are ignored.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IReadOnlyDictionary<string, string> environment) =>
        environment
            .Where(e => e.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && e.Key.Length > EnvironmentPrefix.Length)
            .Select(e => new KeyValuePair<string, string?>(e.Key[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), e.Value));

    /// <summary>Accepts <c>--Section:Key=value</c> and <c>--Section:Key value</c> (<c>__</c> may stand for <c>:</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> FromCommandLine(IReadOnlyList<string> arguments)
    {
        var values = new List<KeyValuePair<string, string?>>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.Length == 2)
                throw new ConfigurationException(argument, "unexpected argument (settings are given as --Section:Key=value)");
            var body = argument[2..];
            string key, value;
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                (key, value) = (body[..equals], body[(equals + 1)..]);
            }
            else
            {
                if (i + 1 >= arguments.Count) throw new ConfigurationException(argument, "missing value (settings are given as --Section:Key=value)");
                (key, value) = (body, arguments[++i]);
            }
            key = key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            if (!key.Contains(':', StringComparison.Ordinal))
                throw new ConfigurationException("--" + key, "unknown option (settings are given as --Section:Key=value)");
            values.Add(new(key, value));
        }
        return values;
    }

    private static void AddFile(ConfigurationBuilder builder, string configFile, bool required)
    {
        if (Directory.Exists(configFile)) throw new ConfigurationException(configFile, "config file is a directory");
        if (!File.Exists(configFile))
        {
            if (required) throw new ConfigurationException(configFile, "config file not found");
            return;
        }
        try
        {
            using var probe = File.OpenRead(configFile);
            if (probe.Length > MaxConfigFileBytes) throw new ConfigurationException(configFile, $"config file is larger than {MaxConfigFileBytes / 1024} KiB");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(configFile, $"config file is not readable: {error.Message}", error);
        }
        builder.AddJsonFile(configFile, optional: false, reloadOnChange: false);
    }
}
