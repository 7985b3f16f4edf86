using System.Text;

namespace P2P.Inference.Tokenizers.Templates;

/// <summary>
/// Splits a template into text and tag tokens, applying whitespace control as Hugging Face renders chat templates
/// (<c>trim_blocks</c> and <c>lstrip_blocks</c> on): <c>{%-</c>/<c>-%}</c> strip all whitespace on that side; a block tag
/// alone on its line takes the line's indentation and the newline after it. Comments are dropped.
/// </summary>
internal static class TemplateLexer
{
    private static readonly string[] Operators = ["==", "!=", "<=", ">=", "//", "**", "<", ">", "+", "-", "*", "/", "%", "~", "|", ".", ",", ":", "(", ")", "[", "]", "=", "{", "}"];

    public static List<TemplateToken> Tokenize(string source)
    {
        var tokens = new List<TemplateToken>();
        var text = new StringBuilder();
        bool trimNextNewline = false, stripNextWhitespace = false;
        int i = 0;
        while (i < source.Length)
        {
            int open = source.IndexOf('{', i);
            while (open >= 0 && (open + 1 >= source.Length || source[open + 1] is not ('{' or '%' or '#'))) open = source.IndexOf('{', open + 1);
            int end = open < 0 ? source.Length : open;
            AppendText(source[i..end]);
            if (open < 0) break;
            char kind = source[open + 1];
            int inner = open + 2;
            bool stripBefore = inner < source.Length && source[inner] == '-';
            bool keepIndent = inner < source.Length && source[inner] == '+';
            if (stripBefore || keepIndent) inner++;
            if (stripBefore) TrimEndAll(text);
            else if (kind != '{' && !keepIndent) TrimIndentation(text);
            FlushText(open);
            if (kind == '#')
            {
                int close = source.IndexOf("#}", inner, StringComparison.Ordinal);
                if (close < 0) throw new TemplateException($"unclosed comment at offset {open}");
                (stripNextWhitespace, trimNextNewline) = (source[close - 1] == '-', source[close - 1] != '-');
                i = close + 2;
                continue;
            }
            tokens.Add(new TemplateToken(kind == '{' ? TokenKind.OutputOpen : TokenKind.BlockOpen, "", open));
            i = ReadTag(source, inner, kind == '{' ? '}' : '%', tokens, out bool stripAfter);
            tokens.Add(new TemplateToken(kind == '{' ? TokenKind.OutputClose : TokenKind.BlockClose, "", i));
            stripNextWhitespace = stripAfter;
            trimNextNewline = !stripAfter && kind == '%';
        }
        FlushText(source.Length);
        return tokens;

        void AppendText(string piece)
        {
            if (stripNextWhitespace) piece = piece.TrimStart();
            else if (trimNextNewline && piece.StartsWith('\n')) piece = piece[1..];
            else if (trimNextNewline && piece.StartsWith("\r\n", StringComparison.Ordinal)) piece = piece[2..];
            stripNextWhitespace = trimNextNewline = false;
            text.Append(piece);
        }

        void FlushText(int offset)
        {
            if (text.Length > 0) tokens.Add(new TemplateToken(TokenKind.Text, text.ToString(), offset));
            text.Clear();
        }
    }

    private static void TrimEndAll(StringBuilder text)
    {
        while (text.Length > 0 && char.IsWhiteSpace(text[^1])) text.Length--;
    }

    /// <summary>lstrip_blocks: spaces and tabs between the line start and a block tag go.</summary>
    private static void TrimIndentation(StringBuilder text)
    {
        int at = text.Length;
        while (at > 0 && text[at - 1] is ' ' or '\t') at--;
        if (at == 0 || text[at - 1] == '\n') text.Length = at;
    }

    private static int ReadTag(string source, int i, char closer, List<TemplateToken> tokens, out bool stripAfter)
    {
        while (true)
        {
            if (i >= source.Length) throw new TemplateException($"unclosed tag at end of template");
            char c = source[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && i + 2 < source.Length && source[i + 1] == closer && source[i + 2] == '}') { stripAfter = true; return i + 3; }
            if (c == closer && i + 1 < source.Length && source[i + 1] == '}') { stripAfter = false; return i + 2; }
            if (c is '\'' or '"')
            {
                var value = new StringBuilder();
                int start = i++;
                while (i < source.Length && source[i] != c)
                {
                    if (source[i] == '\\' && i + 1 < source.Length)
                    {
                        i++;
                        value.Append(source[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                    }
                    else value.Append(source[i]);
                    i++;
                }
                if (i >= source.Length) throw new TemplateException($"unclosed string at offset {start}");
                i++;
                tokens.Add(new TemplateToken(TokenKind.String, value.ToString(), start));
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                int start = i;
                while (i < source.Length && char.IsAsciiDigit(source[i])) i++;
                if (i < source.Length && source[i] == '.' && i + 1 < source.Length && char.IsAsciiDigit(source[i + 1])) throw new TemplateException($"floating-point literals are outside the supported subset (offset {start})");
                tokens.Add(new TemplateToken(TokenKind.Integer, source[start..i], start));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_')) i++;
                tokens.Add(new TemplateToken(TokenKind.Name, source[start..i], start));
                continue;
            }
            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(source, i, o, 0, o.Length) == 0)
                ?? throw new TemplateException($"unexpected character '{c}' at offset {i}");
            tokens.Add(new TemplateToken(TokenKind.Operator, op, i));
            i += op.Length;
        }
    }
}
