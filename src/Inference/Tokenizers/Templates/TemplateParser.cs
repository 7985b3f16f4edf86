namespace P2P.Inference.Tokenizers.Templates;

/// <summary>Recursive-descent parser of the supported Jinja subset; anything else is a <see cref="TemplateException"/> naming it.</summary>
internal sealed class TemplateParser(List<TemplateToken> tokens)
{
    private const int MaxDepth = 64;
    private static readonly HashSet<string> Comparisons = ["==", "!=", "<", "<=", ">", ">="];
    private int _at;
    private int _depth;

    public List<TemplateNode> ParseTemplate()
    {
        var body = ParseBody([], out _);
        if (_at < tokens.Count) throw Unexpected();
        return body;
    }

    /// <summary>Statements until a block tag whose keyword is in <paramref name="stops"/> (consumed up to the keyword).</summary>
    private List<TemplateNode> ParseBody(HashSet<string> stops, out string? stop)
    {
        if (++_depth > MaxDepth) throw new TemplateException($"the template nests deeper than {MaxDepth}");
        var nodes = new List<TemplateNode>();
        stop = null;
        while (_at < tokens.Count)
        {
            var token = tokens[_at];
            if (token.Kind == TokenKind.Text)
            {
                _at++;
                nodes.Add(new TemplateNode(NodeKind.Text) { Text = token.Text });
                continue;
            }
            if (token.Kind == TokenKind.OutputOpen)
            {
                _at++;
                var value = ParseExpression();
                Expect(TokenKind.OutputClose);
                nodes.Add(new TemplateNode(NodeKind.Output) { Expression = value });
                continue;
            }
            if (token.Kind != TokenKind.BlockOpen) throw Unexpected();
            var keyword = Peek(1);
            if (keyword.Kind != TokenKind.Name) throw new TemplateException($"a block tag needs a keyword (offset {keyword.Offset})");
            if (stops.Contains(keyword.Text))
            {
                _at += 2;
                stop = keyword.Text;
                _depth--;
                return nodes;
            }
            _at += 2;
            nodes.Add(keyword.Text switch
            {
                "if" => ParseIf(),
                "for" => ParseFor(),
                "set" => ParseSet(),
                _ => throw new TemplateException($"'{keyword.Text}' tags are outside the supported subset (if/elif/else, for, set) at offset {keyword.Offset}"),
            });
        }
        if (stops.Count > 0) throw new TemplateException($"the template ends inside a block: expected {string.Join(" or ", stops)}");
        _depth--;
        return nodes;
    }

    private TemplateNode ParseIf()
    {
        var branches = new List<(Expression?, IReadOnlyList<TemplateNode>)>();
        var condition = ParseExpression();
        while (true)
        {
            Expect(TokenKind.BlockClose);
            var body = ParseBody(["elif", "else", "endif"], out var stop);
            branches.Add((condition, body));
            if (stop == "endif") break;
            if (stop == "else")
            {
                Expect(TokenKind.BlockClose);
                branches.Add((null, ParseBody(["endif"], out _)));
                break;
            }
            condition = ParseExpression();
        }
        Expect(TokenKind.BlockClose);
        return new TemplateNode(NodeKind.If) { Branches = branches };
    }

    private TemplateNode ParseFor()
    {
        var name = Expect(TokenKind.Name).Text;
        if (Peek().Kind == TokenKind.Operator && Peek().Text == ",") throw new TemplateException($"for-loops over several names are outside the supported subset (offset {Peek().Offset})");
        ExpectName("in");
        var sequence = ParseOr();
        if (Peek().Kind == TokenKind.Name && Peek().Text is "if" or "recursive") throw new TemplateException($"'for … {Peek().Text}' is outside the supported subset (offset {Peek().Offset})");
        Expect(TokenKind.BlockClose);
        var body = ParseBody(["else", "endfor"], out var stop);
        IReadOnlyList<TemplateNode> otherwise = [];
        if (stop == "else")
        {
            Expect(TokenKind.BlockClose);
            otherwise = ParseBody(["endfor"], out _);
        }
        Expect(TokenKind.BlockClose);
        return new TemplateNode(NodeKind.For) { Name = name, Expression = sequence, Body = body, Otherwise = otherwise };
    }

    private TemplateNode ParseSet()
    {
        var name = Expect(TokenKind.Name).Text;
        if (!(Peek().Kind == TokenKind.Operator && Peek().Text == "=")) throw new TemplateException($"only 'set name = value' is supported (offset {Peek().Offset})");
        _at++;
        var value = ParseExpression();
        Expect(TokenKind.BlockClose);
        return new TemplateNode(NodeKind.Set) { Name = name, Expression = value };
    }

    private Expression ParseExpression()
    {
        if (++_depth > MaxDepth) throw new TemplateException($"the template nests deeper than {MaxDepth}");
        var value = ParseOr();
        if (IsName("if"))
        {
            int offset = tokens[_at++].Offset;
            var condition = ParseOr();
            Expression? otherwise = null;
            if (IsName("else"))
            {
                _at++;
                otherwise = ParseExpression();
            }
            value = new Expression(ExpressionKind.Conditional, offset) { Left = value, Target = condition, Right = otherwise };
        }
        _depth--;
        return value;
    }

    private Expression ParseOr() => ParseLeft(ParseAnd, "or");

    private Expression ParseAnd() => ParseLeft(ParseNot, "and");

    private Expression ParseLeft(Func<Expression> next, string op)
    {
        var left = next();
        while (IsName(op))
        {
            int offset = tokens[_at++].Offset;
            left = new Expression(ExpressionKind.Binary, offset) { Left = left, Name = op, Right = next() };
        }
        return left;
    }

    private Expression ParseNot()
    {
        if (!IsName("not")) return ParseComparison();
        int offset = tokens[_at++].Offset;
        return new Expression(ExpressionKind.Unary, offset) { Name = "not", Left = ParseNot() };
    }

    private Expression ParseComparison()
    {
        var left = ParseConcat();
        while (true)
        {
            var token = Peek();
            if (token.Kind == TokenKind.Operator && Comparisons.Contains(token.Text))
            {
                _at++;
                left = new Expression(ExpressionKind.Binary, token.Offset) { Left = left, Name = token.Text, Right = ParseConcat() };
            }
            else if (IsName("in") || (IsName("not") && Peek(1).Kind == TokenKind.Name && Peek(1).Text == "in"))
            {
                bool negated = tokens[_at].Text == "not";
                _at += negated ? 2 : 1;
                left = new Expression(ExpressionKind.Binary, token.Offset) { Left = left, Name = "in", Right = ParseConcat(), Negated = negated };
            }
            else if (IsName("is"))
            {
                _at++;
                bool negated = IsName("not");
                if (negated) _at++;
                var test = Expect(TokenKind.Name).Text;
                left = new Expression(ExpressionKind.Test, token.Offset) { Target = left, Name = test, Negated = negated };
            }
            else return left;
        }
    }

    private Expression ParseConcat() => ParseOperators(ParseAdditive, "~");

    private Expression ParseAdditive() => ParseOperators(ParseMultiplicative, "+", "-");

    private Expression ParseMultiplicative() => ParseOperators(ParseUnary, "*", "/", "//", "%");

    private Expression ParseOperators(Func<Expression> next, params string[] ops)
    {
        var left = next();
        while (Peek().Kind == TokenKind.Operator && ops.Contains(Peek().Text))
        {
            var token = tokens[_at++];
            left = new Expression(ExpressionKind.Binary, token.Offset) { Left = left, Name = token.Text, Right = next() };
        }
        return left;
    }

    private Expression ParseUnary()
    {
        if (Peek().Kind == TokenKind.Operator && Peek().Text is "-" or "+")
        {
            var token = tokens[_at++];
            return new Expression(ExpressionKind.Unary, token.Offset) { Name = token.Text, Left = ParseUnary() };
        }
        var value = ParsePostfix(ParsePrimary());
        while (Peek().Kind == TokenKind.Operator && Peek().Text == "|")
        {
            int offset = tokens[_at++].Offset;
            var name = Expect(TokenKind.Name).Text;
            var arguments = Peek().Kind == TokenKind.Operator && Peek().Text == "(" ? ParseArguments() : [];
            value = ParsePostfix(new Expression(ExpressionKind.Filter, offset) { Target = value, Name = name, Arguments = arguments });
        }
        return value;
    }

    private Expression ParsePostfix(Expression value)
    {
        while (Peek().Kind == TokenKind.Operator)
        {
            var token = Peek();
            if (token.Text == ".")
            {
                _at++;
                value = new Expression(ExpressionKind.Attribute, token.Offset) { Target = value, Name = Expect(TokenKind.Name).Text };
            }
            else if (token.Text == "(")
            {
                value = new Expression(ExpressionKind.Call, token.Offset) { Target = value, Arguments = ParseArguments() };
            }
            else if (token.Text == "[")
            {
                _at++;
                Expression? start = IsOperator(":") ? null : ParseExpression();
                if (IsOperator(":"))
                {
                    _at++;
                    Expression? end = IsOperator("]") ? null : ParseExpression();
                    if (IsOperator(":")) throw new TemplateException($"slices with a step are outside the supported subset (offset {Peek().Offset})");
                    value = new Expression(ExpressionKind.Slice, token.Offset) { Target = value, Left = start, Right = end };
                }
                else value = new Expression(ExpressionKind.Index, token.Offset) { Target = value, Left = start };
                ExpectOperator("]");
            }
            else return value;
        }
        return value;
    }

    private List<Expression> ParseArguments()
    {
        ExpectOperator("(");
        var arguments = new List<Expression>();
        while (!IsOperator(")"))
        {
            if (Peek().Kind == TokenKind.Name && Peek(1).Kind == TokenKind.Operator && Peek(1).Text == "=")
                throw new TemplateException($"keyword arguments are outside the supported subset (offset {Peek().Offset})");
            arguments.Add(ParseExpression());
            if (!IsOperator(")")) ExpectOperator(",");
        }
        _at++;
        return arguments;
    }

    private Expression ParsePrimary()
    {
        var token = Peek();
        _at++;
        switch (token.Kind)
        {
            case TokenKind.String:
                var text = token.Text;
                // Adjacent string literals concatenate, as in Python.
                while (Peek().Kind == TokenKind.String) text += tokens[_at++].Text;
                return new Expression(ExpressionKind.Literal, token.Offset) { Value = text };
            case TokenKind.Integer:
                return new Expression(ExpressionKind.Literal, token.Offset)
                {
                    Value = long.TryParse(token.Text, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : throw new TemplateException($"integer {token.Text} is too large"),
                };
            case TokenKind.Name:
                return token.Text switch
                {
                    "true" or "True" => new Expression(ExpressionKind.Literal, token.Offset) { Value = true },
                    "false" or "False" => new Expression(ExpressionKind.Literal, token.Offset) { Value = false },
                    "none" or "None" => new Expression(ExpressionKind.Literal, token.Offset),
                    _ => new Expression(ExpressionKind.Variable, token.Offset) { Name = token.Text },
                };
            case TokenKind.Operator when token.Text == "(":
                var inner = ParseExpression();
                ExpectOperator(")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                var items = new List<Expression>();
                while (!IsOperator("]"))
                {
                    items.Add(ParseExpression());
                    if (!IsOperator("]")) ExpectOperator(",");
                }
                _at++;
                return new Expression(ExpressionKind.List, token.Offset) { Arguments = items };
            default:
                _at--;
                throw Unexpected();
        }
    }

    private TemplateToken Peek(int ahead = 0) => _at + ahead < tokens.Count ? tokens[_at + ahead] : new TemplateToken(TokenKind.Text, "", -1);

    private bool IsName(string name) => Peek().Kind == TokenKind.Name && Peek().Text == name;

    private bool IsOperator(string op) => Peek().Kind == TokenKind.Operator && Peek().Text == op;

    private TemplateToken Expect(TokenKind kind)
    {
        if (Peek().Kind != kind) throw Unexpected($"expected {kind}");
        return tokens[_at++];
    }

    private void ExpectName(string name)
    {
        if (!IsName(name)) throw Unexpected($"expected '{name}'");
        _at++;
    }

    private void ExpectOperator(string op)
    {
        if (!IsOperator(op)) throw Unexpected($"expected '{op}'");
        _at++;
    }

    private TemplateException Unexpected(string? expected = null)
    {
        var token = Peek();
        var what = token.Offset < 0 ? "the end of the template" : token.Kind switch
        {
            TokenKind.Text => "text",
            TokenKind.BlockClose or TokenKind.OutputClose => "the end of the tag",
            TokenKind.BlockOpen or TokenKind.OutputOpen => "a new tag",
            _ => $"'{token.Text}'",
        };
        return new TemplateException($"unexpected {what} at offset {token.Offset}{(expected is null ? "" : ": " + expected)} (or a construct outside the supported subset)");
    }
}
