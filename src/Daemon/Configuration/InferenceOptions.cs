using P2P.Inference.Kernels;

namespace P2P.Daemon.Configuration;

/// <summary>Serving inference and the OpenAI-compatible gateway (section <c>Inference</c>).</summary>
public sealed class InferenceOptions : IValidatableOptions
{
    /// <summary>Serve <see cref="Models"/> to the network. The gateway runs either way, routing to the network.</summary>
    public bool Enabled { get; set; }

    /// <summary>Directory of Hugging Face model folders; relative paths are under the data directory.</summary>
    public string ModelsDirectory { get; set; } = "models";

    public List<InferenceModelOptions> Models { get; set; } = [];

    /// <summary>Deterministic (the same bits on every machine; routes agree token for token) or Fast.</summary>
    public ComputeMode Mode { get; set; } = ComputeMode.Deterministic;

    /// <summary>Compute threads; 0 means one per core.</summary>
    public int Threads { get; set; }

    /// <summary>Sessions served at once per model; more are refused at once.</summary>
    public int MaxConcurrentSessions { get; set; } = 4;

    /// <summary>
    /// How sessions cache keys and values: Auto (Float16 in fast mode, Float32 in deterministic mode), Float32 or
    /// Float16 (fast mode only: half the memory and half the bytes read per long-context token).
    /// </summary>
    public string KvCache { get; set; } = "Auto";

    /// <summary>The cache format <see cref="KvCache"/> names for <see cref="Mode"/> (after validation).</summary>
    public KvFormat KvFormat => NamedKvFormat ?? CpuBackend.DefaultKvFormat(Mode);

    /// <summary>The format <see cref="KvCache"/> names by name (not by number), or null for Auto or an unknown name.</summary>
    private KvFormat? NamedKvFormat =>
        Enum.GetNames<KvFormat>().FirstOrDefault(name => name.Equals(KvCache, StringComparison.OrdinalIgnoreCase)) is { } name ? Enum.Parse<KvFormat>(name) : null;

    /// <summary>KV-cache budget per served model, in MiB.</summary>
    public int KvCacheMegabytes { get; set; } = 256;

    /// <summary>How often this node re-publishes its capability adverts (each is valid for three intervals).</summary>
    public int AdvertIntervalSeconds { get; set; } = 30;

    /// <summary>An executor's first answer, and each later one, must come within this.</summary>
    public int ExecutorTimeoutSeconds { get; set; } = 20;

    /// <summary>A whole gateway request must finish within this.</summary>
    public int RequestTimeoutSeconds { get; set; } = 120;

    /// <summary>Largest <c>max_tokens</c> a gateway request may ask for.</summary>
    public int MaxTokensLimit { get; set; } = 1024;

    /// <summary>Largest gateway request body, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (Threads is < 0 or > 1024) yield return new("Threads", $"{Threads} is out of range (0-1024)");
        if (MaxConcurrentSessions is < 1 or > 1024) yield return new("MaxConcurrentSessions", $"{MaxConcurrentSessions} is out of range (1-1024)");
        if (!KvCache.Equals("Auto", StringComparison.OrdinalIgnoreCase) && NamedKvFormat is null)
            yield return new("KvCache", $"'{KvCache}' is not Auto, Float32 or Float16");
        else if (CpuBackend.KvFormatProblem(Mode, KvFormat) is { } problem)
            yield return new("KvCache", $"{KvCache} needs Mode Fast: {problem}");
        if (KvCacheMegabytes is < 1 or > 1 << 20) yield return new("KvCacheMegabytes", $"{KvCacheMegabytes} is out of range (1-1048576)");
        if (AdvertIntervalSeconds is < 1 or > 200) yield return new("AdvertIntervalSeconds", $"{AdvertIntervalSeconds} is out of range (1-200)");
        if (ExecutorTimeoutSeconds is < 1 or > 600) yield return new("ExecutorTimeoutSeconds", $"{ExecutorTimeoutSeconds} is out of range (1-600)");
        if (RequestTimeoutSeconds is < 1 or > 3600) yield return new("RequestTimeoutSeconds", $"{RequestTimeoutSeconds} is out of range (1-3600)");
        if (MaxTokensLimit is < 1 or > 1 << 20) yield return new("MaxTokensLimit", $"{MaxTokensLimit} is out of range (1-1048576)");
        if (MaxRequestBytes is < 1024 or > 64 << 20) yield return new("MaxRequestBytes", $"{MaxRequestBytes} is out of range (1024-67108864)");
        if (Enabled && Models.Count == 0) yield return new("Models", "serving is enabled but no model is listed (Inference:Models:0:Model=…)");
        for (int i = 0; i < Models.Count; i++)
        {
            var model = Models[i];
            if (string.IsNullOrWhiteSpace(model.Model)) { yield return new($"Models:{i}:Model", "is required"); continue; }
            string? layersProblem = null;
            try
            {
                InferenceNetwork.Serving.ServedModelSpec.ParseLayers(model.Layers);
            }
            catch (FormatException e)
            {
                layersProblem = e.Message;
            }
            if (layersProblem is not null) yield return new($"Models:{i}:Layers", layersProblem);
            if (Enabled && !model.Model.StartsWith("seed:", StringComparison.Ordinal) && !Directory.Exists(ResolveModel(dataDirectory, model.Model)))
                yield return new($"Models:{i}:Model", $"directory {ResolveModel(dataDirectory, model.Model)} does not exist or is not readable");
        }
    }

    /// <summary>A seed spec as is; a folder relative to <see cref="ModelsDirectory"/> (itself relative to the data directory).</summary>
    public string ResolveModel(DataDirectory dataDirectory, string model) =>
        model.StartsWith("seed:", StringComparison.Ordinal) ? model : Path.Combine(dataDirectory.Resolve(ModelsDirectory), model);
}
