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
}
