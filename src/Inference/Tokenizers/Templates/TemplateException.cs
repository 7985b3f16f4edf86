namespace P2P.Inference.Tokenizers.Templates;

/// <summary>A chat template outside the supported Jinja subset, malformed, over a limit, or one that called <c>raise_exception</c>.</summary>
public sealed class TemplateException(string message) : Exception(message);
