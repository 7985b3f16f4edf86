namespace P2P.Inference.Tokenizers.Templates;

/// <summary>One token of a template, with its offset in the source for error messages.</summary>
internal readonly record struct TemplateToken(TokenKind Kind, string Text, int Offset);
