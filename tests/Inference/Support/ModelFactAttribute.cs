namespace P2P.Inference.Tests.Support;

/// <summary>A fact that is skipped, with the reason shown, when the named shared test model is absent.</summary>
public sealed class ModelFactAttribute : FactAttribute
{
    public ModelFactAttribute(string model = "stories260k")
    {
        var reason = TestModels.MissingReason(model);
        if (reason is not null) Skip = reason;
    }
}
