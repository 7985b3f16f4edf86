using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace P2P.Daemon.Configuration;

/// <summary>Checks every configured key against the option classes: unknown keys and unconvertible values are reported by full key.</summary>
public static class ConfigurationSchema
{
    /// <summary>Throws <see cref="ConfigurationException"/> naming the first key that is unknown or has a value of the wrong type.</summary>
    public static void Check(IConfiguration configuration, IReadOnlyList<ConfigSection> sections)
    {
        foreach (var top in configuration.GetChildren())
        {
            var section = sections.FirstOrDefault(s => string.Equals(s.Name, top.Key, StringComparison.OrdinalIgnoreCase))
                ?? throw Unknown(top, $"unknown configuration section (known: {string.Join(", ", sections.Select(s => s.Name))})");
            if (!string.IsNullOrEmpty(top.Value) && !top.GetChildren().Any())
                throw new ConfigurationException(top.Path, "is a section, not a value");
            foreach (var entry in top.GetChildren()) CheckProperty(section.OptionsType, entry);
        }
    }

    private static void CheckProperty(Type optionsType, IConfigurationSection entry)
    {
        var properties = optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        var property = properties.FirstOrDefault(p => string.Equals(p.Name, entry.Key, StringComparison.OrdinalIgnoreCase))
            ?? throw Unknown(entry, $"unknown configuration key (known in this section: {string.Join(", ", properties.Select(p => p.Name))})");
        var type = property.PropertyType;

        if (DictionaryValueType(type) is { } dictionaryValue)
        {
            if (!string.IsNullOrEmpty(entry.Value) && !entry.GetChildren().Any())
                throw new ConfigurationException(entry.Path, "is a section of named values, not a single value");
            foreach (var item in entry.GetChildren()) CheckScalar(dictionaryValue, item);
            return;
        }
        if (ListElementType(type) is { } element)
        {
            // An empty JSON array arrives as an empty value; anything else without items is a scalar where a list belongs.
            if (!string.IsNullOrEmpty(entry.Value) && !entry.GetChildren().Any())
                throw new ConfigurationException(entry.Path, $"is a list: give items as {entry.Path}:0, {entry.Path}:1, … (P2PD__{entry.Path.Replace(":", "__", StringComparison.Ordinal)}__0 in the environment)");
            foreach (var item in entry.GetChildren())
            {
                if (!int.TryParse(item.Key, out var index) || index < 0) throw new ConfigurationException(item.Path, "list items must be numbered 0, 1, 2, …");
                if (element.IsClass && element != typeof(string))
                {
                    // A list of option objects (Inference:Models:0:Model): each item's keys are checked against the element type.
                    foreach (var child in item.GetChildren()) CheckProperty(element, child);
                    continue;
                }
                CheckScalar(element, item);
            }
            return;
        }
        CheckScalar(type, entry);
    }

    private static void CheckScalar(Type type, IConfigurationSection entry)
    {
        if (entry.GetChildren().Any()) throw Unknown(entry.GetChildren().First(), $"{entry.Path} is a single value and has no sub-keys");
        if (entry.Value is null) return;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string)) return;
        bool ok;
        try
        {
            ok = TypeDescriptor.GetConverter(target).ConvertFromInvariantString(entry.Value) is not null;
        }
        catch (Exception error) when (error is FormatException or ArgumentException or NotSupportedException or OverflowException || error.InnerException is FormatException or OverflowException)
        {
            ok = false;
        }
        // Enum converters accept any integer; only named values are meaningful in a config file.
        if (ok && target.IsEnum && !Enum.GetNames(target).Any(n => string.Equals(n, entry.Value.Trim(), StringComparison.OrdinalIgnoreCase))) ok = false;
        if (!ok) throw new ConfigurationException(entry.Path, $"'{entry.Value}' is not {Describe(target)}");
    }

    private static ConfigurationException Unknown(IConfigurationSection entry, string problem)
    {
        var leaf = entry.AsEnumerable(makePathsRelative: false).Select(p => p.Key).Where(k => k.Length > 0).DefaultIfEmpty(entry.Path).Max()!;
        return new ConfigurationException(entry.Path, problem + (leaf != entry.Path ? $" (set by {leaf})" : ""));
    }

    private static string Describe(Type type) =>
        type == typeof(int) || type == typeof(long) ? "an integer"
        : type == typeof(bool) ? "true or false"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type))
        : "a valid " + type.Name;

    private static Type? ListElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)) return type.GetGenericArguments()[0];
        return null;
    }

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && typeof(IDictionary).IsAssignableFrom(type)
            ? type.GetGenericArguments()[1]
            : null;
}
