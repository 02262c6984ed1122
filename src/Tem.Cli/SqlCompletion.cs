namespace Tem.Cli;

/// <summary>
/// Tab completion for the <c>tem sql</c> prompt: dot commands at the start of a line, then table and view names,
/// column names (of the tables the statement names, or of every table when it names none; after <c>alias.</c> the
/// columns of those tables), and SQL keywords, in that order. Matching ignores case; a keyword is offered in the case
/// the word was started in.
/// </summary>
/// <param name="schema">The session's tables and views with their columns, read at each Tab (a session table may have been created since).</param>
internal sealed class SqlCompletion(Func<IReadOnlyDictionary<string, IReadOnlyList<string>>> schema)
{
    /// <summary>The dot commands, as completed and listed by <c>.help</c>.</summary>
    public static readonly IReadOnlyList<string> DotCommands =
        [".help", ".mode", ".once", ".output", ".quit", ".exit", ".schema", ".tables", ".timer"];

    private static readonly string[] Keywords =
    [
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING", "LIMIT", "OFFSET", "JOIN", "LEFT", "RIGHT", "FULL", "INNER",
        "OUTER", "CROSS", "ON", "USING", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE", "BETWEEN", "CASE", "WHEN",
        "THEN", "ELSE", "END", "DISTINCT", "ALL", "UNION", "EXCEPT", "INTERSECT", "WITH", "DESC", "ASC", "NULLS", "FIRST", "LAST",
        "COUNT", "SUM", "AVG", "MIN", "MAX", "CAST", "COALESCE", "QUALIFY", "OVER", "PARTITION", "WINDOW", "DESCRIBE", "SUMMARIZE",
        "SHOW", "TABLES", "EXPLAIN", "CREATE", "TABLE", "VIEW", "TEMP", "INSERT", "INTO", "VALUES", "DROP", "EXISTS", "TRUE",
        "FALSE", "DATE", "INTERVAL", "EXTRACT", "STRFTIME", "DATE_TRUNC",
    ];

    private static readonly HashSet<string> TableContext = ["from", "join", "into", "table", "describe", "summarize", "update"];

    /// <summary>The start of the word before <paramref name="cursor"/> and what completes it.</summary>
    public (int Start, IReadOnlyList<string> Candidates) Complete(string text, int cursor)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '_' or '.'))
        {
            start--;
        }

        var word = text[start..cursor];
        if (word.StartsWith('.') && text[..start].Trim().Length == 0)
        {
            return (start, [.. DotCommands.Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase))]);
        }

        var tables = schema();
        var dot = word.LastIndexOf('.');
        var prefix = dot < 0 ? word : word[(dot + 1)..];
        var named = SqlText.Tokens(text).Where(t => t.IsWord).Select(t => t.Text)
            .Where(t => tables.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        var columnSource = named.Count > 0 ? named : [.. tables.Keys];
        var columns = columnSource.SelectMany(t => tables[t]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        bool Match(string c) => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        if (dot >= 0)
        {
            // alias.col or table.col: the columns of the table named so, else of the statement's tables.
            var qualifier = word[..dot].ToLowerInvariant();
            var of = tables.TryGetValue(qualifier, out var own) ? own : columns.ToList();
            return (start + dot + 1, [.. of.Where(Match).Distinct(StringComparer.Ordinal)]);
        }

        if (prefix.Length == 0)
        {
            return (start, [.. columns]);
        }

        // After FROM, JOIN and the like only a table makes sense.
        if (SqlText.Tokens(text[..start]).LastOrDefault() is { IsWord: true } previous && TableContext.Contains(previous.Text))
        {
            return (start, [.. tables.Keys.Order(StringComparer.Ordinal).Where(Match)]);
        }

        var lower = prefix.All(c => !char.IsLetter(c) || char.IsLower(c));
        var candidates = tables.Keys.Order(StringComparer.Ordinal).Where(Match)
            .Concat(columns.Where(Match))
            .Concat(Keywords.Where(Match).Select(k => lower ? k.ToLowerInvariant() : k))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return (start, candidates);
    }
}
