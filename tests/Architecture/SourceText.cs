using System.Text;

namespace P2P.Architecture.Tests;

/// <summary>C# source with comments, string and character literals blanked out, so that only code is scanned.</summary>
public static class SourceText
{
    /// <summary>
    /// Comments become spaces and literals become empty literals; line breaks are kept. Interpolation holes are
    /// dropped with their string: a type named only inside a hole is not seen (the project has none that matter).
    /// </summary>
    public static string CodeOnly(string source)
    {
        var code = new StringBuilder(source.Length);
        int i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            char next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < source.Length && source[i] != '\n') i++;
            }
            else if (c == '/' && next == '*')
            {
                int end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                int stop = end < 0 ? source.Length : end + 2;
                KeepLineBreaks(source, i, stop, code);
                i = stop;
            }
            else if (c == '"' || c == '\'' || ((c == '$' || c == '@') && IsStringStart(source, i)))
            {
                int stop = SkipLiteral(source, i);
                KeepLineBreaks(source, i, stop, code);
                code.Append(c == '\'' ? "' '" : "\"\"");
                i = stop;
            }
            else
            {
                code.Append(c);
                i++;
            }
        }
        return code.ToString();
    }

    private static bool IsStringStart(string s, int i)
    {
        while (i < s.Length && (s[i] == '$' || s[i] == '@')) i++;
        return i < s.Length && s[i] == '"';
    }

    private static int SkipLiteral(string s, int i)
    {
        bool verbatim = false;
        while (s[i] == '$' || s[i] == '@')
        {
            verbatim |= s[i] == '@';
            i++;
        }
        if (s[i] == '\'')
        {
            i++;
            while (i < s.Length && s[i] != '\'') i += s[i] == '\\' ? 2 : 1;
            return Math.Min(i + 1, s.Length);
        }
        int quotes = 0;
        while (i + quotes < s.Length && s[i + quotes] == '"') quotes++;
        if (quotes >= 3)
        {
            string fence = new('"', quotes);
            int end = s.IndexOf(fence, i + quotes, StringComparison.Ordinal);
            return end < 0 ? s.Length : end + quotes;
        }
        if (quotes == 2) return i + 2;
        i++;
        while (i < s.Length)
        {
            if (verbatim && s[i] == '"' && i + 1 < s.Length && s[i + 1] == '"') i += 2;
            else if (s[i] == '"') return i + 1;
            else if (!verbatim && s[i] == '\\') i += 2;
            else i++;
        }
        return s.Length;
    }

    private static void KeepLineBreaks(string source, int from, int to, StringBuilder code)
    {
        for (int k = from; k < to && k < source.Length; k++)
            if (source[k] == '\n') code.Append('\n');
    }
}
