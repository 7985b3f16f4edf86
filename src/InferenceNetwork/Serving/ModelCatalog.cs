namespace P2P.InferenceNetwork.Serving;

/// <summary>The models this node serves, loaded once at start-up.</summary>
public sealed class ModelCatalog : IDisposable
{
    public ModelCatalog(IReadOnlyList<ServedModel> models) => Models = models;

    public IReadOnlyList<ServedModel> Models { get; }

    public static ModelCatalog Load(ServingOptions options) => new([.. options.Models.Select(m => ServedModel.Load(m, options))]);

    public ServedModel? Find(string modelId, int start, int end) =>
        Models.FirstOrDefault(m => m.ModelId == modelId && m.Range.Start == start && m.Range.End == end);

    public ServedModel? FindWhole(string modelId) => Models.FirstOrDefault(m => m.ModelId == modelId && m.IsWholeModel);

    public void Dispose()
    {
        foreach (var model in Models) model.Dispose();
    }
}
