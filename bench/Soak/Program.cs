using System.Globalization;
using P2P.Bench.Soak;

// bench/Soak: a devnet under load and chaos. Usage: P2P.Bench.Soak [--short] [--nodes N] [--seconds S] [--clients C]
// [--chaos-seconds S] [--rss-mb M] [--dir DIR]. Exit 0 when every criterion held, 1 otherwise.
var directory = Path.Combine(Path.GetTempPath(), $"p2pd-soak-{Environment.ProcessId}");
var options = args.Contains("--short") ? SoakOptions.Short(directory) : SoakOptions.Full(directory);
for (int i = 0; i + 1 < args.Length; i++)
{
    int Value() => int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    options = args[i] switch
    {
        "--nodes" => options with { Nodes = Value() },
        "--seconds" => options with { Duration = TimeSpan.FromSeconds(Value()) },
        "--clients" => options with { Clients = Value() },
        "--chaos-seconds" => options with { ChaosInterval = TimeSpan.FromSeconds(Value()) },
        "--rss-mb" => options with { RssBoundMegabytes = Value() },
        "--dir" => options with { Directory = args[i + 1] },
        _ => options,
    };
}
var result = await new SoakRunner(options, Console.Out).RunAsync();
result.Print(Console.Out);
return result.Holds ? 0 : 1;
