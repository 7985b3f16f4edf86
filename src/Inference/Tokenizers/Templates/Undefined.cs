namespace P2P.Inference.Tokenizers.Templates;

/// <summary>Jinja's undefined value: a missing variable, key or attribute; false, empty when printed, an error when used.</summary>
internal sealed class Undefined
{
    public static readonly Undefined Value = new();

    private Undefined()
    {
    }

    public override string ToString() => "";
}
