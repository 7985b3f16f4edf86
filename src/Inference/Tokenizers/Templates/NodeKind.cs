namespace P2P.Inference.Tokenizers.Templates;

/// <summary>The supported statements: text, <c>{{ output }}</c>, <c>if</c>/<c>elif</c>/<c>else</c>, <c>for</c> and <c>set</c>.</summary>
internal enum NodeKind
{
    Text,
    Output,
    If,
    For,
    Set,
}
