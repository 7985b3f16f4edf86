namespace P2P.Daemon.Configuration;

/// <summary>Serving inference (section <c>Inference</c>).</summary>
public sealed class InferenceOptions : IValidatableOptions
{
    public bool Enabled { get; set; }

    /// <summary>Directory of Hugging Face model folders; relative paths are under the data directory. Must exist when inference is enabled.</summary>
    public string ModelsDirectory { get; set; } = "models";

    /// <summary>Compute threads; 0 means one per core.</summary>
    public int Threads { get; set; }

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (Threads is < 0 or > 1024) yield return new("Threads", $"{Threads} is out of range (0-1024)");
        if (Enabled && !Directory.Exists(dataDirectory.Resolve(ModelsDirectory)))
            yield return new("ModelsDirectory", $"directory {dataDirectory.Resolve(ModelsDirectory)} does not exist or is not readable");
    }
}
