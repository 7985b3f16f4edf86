namespace P2P.InferenceNetwork.Cheats;

/// <summary>The command-line names of <see cref="ExecutorCheat"/>.</summary>
public static class ExecutorCheats
{
    public static readonly IReadOnlyDictionary<string, ExecutorCheat> ByName = new Dictionary<string, ExecutorCheat>
    {
        ["perturb-logits"] = ExecutorCheat.PerturbLogits,
        ["smaller-model"] = ExecutorCheat.SmallerModel,
        ["skip-layers"] = ExecutorCheat.SkipLayers,
        ["lie-invalid"] = ExecutorCheat.LieInvalid,
    };

    public static ExecutorCheat Parse(string? name) =>
        string.IsNullOrEmpty(name) ? ExecutorCheat.None
        : ByName.TryGetValue(name, out var cheat) ? cheat
        : throw new FormatException($"unknown test cheat '{name}' (known: {string.Join(", ", ByName.Keys)})");
}
