namespace P2P.Architecture.Tests;

/// <summary>
/// Which namespaces of one project use which others, resolved the way the compiler looks names up: a name in code is
/// a type or extension method declared in the project, found in the file's namespace, then its enclosing namespaces,
/// then its using directives; a qualified name is resolved from its namespace prefix. Unused usings add no edge.
/// </summary>
public sealed class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph(IEnumerable<string> namespaces)
    {
        foreach (var ns in namespaces) _edges[ns] = new(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Namespaces => _edges.Keys;

    /// <summary>The namespaces <paramref name="ns"/> uses, each with one place that uses it ("file: name").</summary>
    public IReadOnlyDictionary<string, string> UsesOf(string ns) => _edges[ns];

    public static NamespaceGraph Build(IReadOnlyList<SourceFile> files, IEnumerable<string> projectUsings)
    {
        var declaring = Index(files.Select(f => (f.Namespace, (IEnumerable<string>)f.DeclaredTypes)));
        var extending = Index(files.Select(f => (f.Namespace, (IEnumerable<string>)f.ExtensionMethods)));
        var graph = new NamespaceGraph(files.Select(f => f.Namespace).Where(n => n.Length > 0).Distinct());
        var known = graph._edges.Keys.ToHashSet(StringComparer.Ordinal);
        var globalUsings = projectUsings.Concat(files.SelectMany(f => f.GlobalUsings)).ToList();
        foreach (var file in files.Where(f => f.Namespace.Length > 0))
        {
            var enclosing = Enclosing(file.Namespace).ToList();
            var usings = file.Usings.Concat(globalUsings).Where(known.Contains).ToList();
            var uses = file.Names.Select(n => (n, Resolve(n, file, enclosing, usings, known, declaring)))
                .Concat(file.MemberNames.Select(m => (m, InScope(m, extending, enclosing, usings))));
            foreach (var (name, targets) in uses)
            {
                foreach (var target in targets)
                {
                    if (target != file.Namespace && !graph._edges[file.Namespace].ContainsKey(target))
                        graph._edges[file.Namespace][target] = $"{file.Path}: {name}";
                }
            }
        }
        return graph;
    }

    private static IEnumerable<string> Resolve(string name, SourceFile file, List<string> enclosing, List<string> usings, HashSet<string> known,
        Dictionary<string, HashSet<string>> declaring)
    {
        var parts = name.Split('.');
        if (file.Aliases.TryGetValue(parts[0], out var aliased))
            return Resolve(string.Join('.', parts.Skip(1).Prepend(aliased)), file with { Aliases = new Dictionary<string, string>() }, enclosing, usings, known, declaring);
        // A namespace-qualified name: the longest prefix that is a namespace, absolute or relative to an enclosing one.
        for (int length = parts.Length - 1; length > 0; length--)
        {
            string prefix = string.Join('.', parts, 0, length);
            foreach (var outer in enclosing.Append(""))
            {
                string ns = outer.Length == 0 ? prefix : outer + "." + prefix;
                if (known.Contains(ns) && declaring.TryGetValue(parts[length], out var owners) && owners.Contains(ns)) return [ns];
            }
        }
        return InScope(parts[0], declaring, enclosing, usings);
    }

    /// <summary>The namespaces a simple name binds to: the innermost enclosing one declaring it, else every imported one.</summary>
    private static IEnumerable<string> InScope(string simple, Dictionary<string, HashSet<string>> table, List<string> enclosing, List<string> usings)
    {
        if (!table.TryGetValue(simple, out var owners)) return [];
        var inScope = enclosing.FirstOrDefault(owners.Contains);
        return inScope is not null ? [inScope] : usings.Where(owners.Contains).ToList();
    }

    private static Dictionary<string, HashSet<string>> Index(IEnumerable<(string Namespace, IEnumerable<string> Names)> declarations)
    {
        var index = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (ns, names) in declarations)
        {
            if (ns.Length == 0) continue;
            foreach (var name in names)
            {
                if (!index.TryGetValue(name, out var owners)) index[name] = owners = new HashSet<string>(StringComparer.Ordinal);
                owners.Add(ns);
            }
        }
        return index;
    }

    /// <summary>The namespace and each one enclosing it, innermost first.</summary>
    private static IEnumerable<string> Enclosing(string ns)
    {
        for (string current = ns; current.Length > 0; current = current.LastIndexOf('.') is var dot and > 0 ? current[..dot] : "")
            yield return current;
    }

    /// <summary>Groups of two or more namespaces that use each other, directly or through others (Tarjan's algorithm).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        int counter = 0;

        void Visit(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in _edges[v].Keys)
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string popped;
            do
            {
                popped = stack.Pop();
                onStack.Remove(popped);
                component.Add(popped);
            } while (popped != v);
            if (component.Count > 1) cycles.Add(component.Order(StringComparer.Ordinal).ToList());
        }

        foreach (var v in _edges.Keys.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(v)) Visit(v);
        return cycles;
    }
}
