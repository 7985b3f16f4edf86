namespace P2P.Inference.Tests.Support;

/// <summary>Runs this assembly's <see cref="ProbeProgram"/> in a fresh process, optionally with other runtime settings.</summary>
public static class ProbeProcess
{
    public static string Run(IDictionary<string, string> environment, params string[] args)
    {
        string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var (code, output, error) = P2P.Testing.ChildProcess.Run(host, ["exec", typeof(ProbeProgram).Assembly.Location, .. args], environment, timeoutSeconds: 120);
        if (code != 0) throw new InvalidOperationException($"probe failed ({code}): {error}");
        return output.Trim();
    }

    /// <summary>
    /// The environment that switches one runtime instruction-set setting off: <c>DOTNET_EnableAVX512F</c> (with the
    /// runtime's newer <c>DOTNET_EnableAVX512</c> name) leaves the AVX2 paths, <c>DOTNET_EnableHWIntrinsic</c> the scalar ones.
    /// </summary>
    public static Dictionary<string, string> Without(string setting) => setting == "DOTNET_EnableAVX512F"
        ? new() { [setting] = "0", ["DOTNET_EnableAVX512"] = "0" }
        : new() { [setting] = "0" };
}
