using System.Globalization;

namespace P2P.Daemon.Tests.Metrics;

/// <summary>The samples of a Prometheus text exposition: series (name with labels) → value. Enough to watch counters move.</summary>
public sealed class PrometheusText(IReadOnlyDictionary<string, double> samples, string text)
{
    public string Text => text;

    public static PrometheusText Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return new PrometheusText(samples, text);
    }

    /// <summary>The sum over every series of <paramref name="name"/> whose labels contain each of <paramref name="labels"/> (e.g. <c>outcome="ok"</c>); 0 when none.</summary>
    public double Sum(string name, params string[] labels) =>
        samples.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)) && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
            .Sum(s => s.Value);

    public bool Has(string name) => samples.Keys.Any(k => k == name || k.StartsWith(name + "{", StringComparison.Ordinal));
}
