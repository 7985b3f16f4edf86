namespace P2P.InferenceNetwork.Serving;

/// <summary>The short name clients call a model by: a folder's name, or a seed spec as written.</summary>
public static class ModelNames
{
    public static string ShortName(string spec) =>
        spec.StartsWith("seed:", StringComparison.Ordinal) ? spec : Path.GetFileName(Path.TrimEndingDirectorySeparator(spec));
}
