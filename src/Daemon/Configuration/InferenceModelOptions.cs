namespace P2P.Daemon.Configuration;

/// <summary>One served model (an item of <c>Inference:Models</c>): a Hugging Face folder or seed spec and its layers.</summary>
public sealed class InferenceModelOptions
{
    /// <summary>A model folder (relative ones are under <c>Inference:ModelsDirectory</c>) or a seed spec (<c>seed:preset=stories15m,seed=1</c>).</summary>
    public string Model { get; set; } = "";

    /// <summary><c>all</c> (the default) or <c>[a,b)</c>: the layers this node holds.</summary>
    public string Layers { get; set; } = "all";
}
