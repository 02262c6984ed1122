namespace Tem.Cli;

/// <summary>A lexical token of SQL text: a word (keyword or identifier, lower-cased), a quoted string or identifier, or one punctuation character.</summary>
/// <param name="Text">The word lower-cased, the punctuation character, or the quoted text as written.</param>
/// <param name="Start">Offset of its first character.</param>
/// <param name="End">Offset just past its last character.</param>
/// <param name="IsWord">True for an unquoted word.</param>
internal readonly record struct SqlToken(string Text, int Start, int End, bool IsWord);

/// <summary>
/// Just enough of SQL's lexical structure to cut input into statements at top-level semicolons and to look at a
/// statement's words: quotes (<c>'...'</c> with <c>''</c>, <c>"..."</c>, <c>$tag$...$tag$</c>) and comments
/// (<c>--</c> to the end of the line, <c>/* */</c>) are skipped. DuckDB's own parser still reads every statement.
/// </summary>
internal static class SqlText
{
    /// <summary>
    /// Splits <paramref name="text"/> into the complete statements it holds (each without its <c>;</c>, blank ones
    /// dropped) and the incomplete rest after the last top-level semicolon.
    /// </summary>
    public static (List<string> Statements, string Remainder) Split(string text)
    {
        var statements = new List<string>();
        var start = 0;
        foreach (var token in Tokens(text, keepIncomplete: true))
        {
            if (!token.IsWord && token.Text == ";")
            {
                var statement = text[start..token.Start];
                if (Tokens(statement).Any())
                {
                    statements.Add(statement.Trim());
                }

                start = token.End;
            }
        }

        return (statements, text[start..]);
    }

    /// <summary>Whether the text holds anything but blanks and comments.</summary>
    public static bool HasContent(string text) => Tokens(text).Any();

    /// <summary>The tokens of <paramref name="text"/>; an unterminated quote or comment ends the text.</summary>
    public static IEnumerable<SqlToken> Tokens(string text, bool keepIncomplete = false)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && At(text, i + 1, '-'))
            {
                var end = text.IndexOf('\n', i);
                i = end < 0 ? text.Length : end + 1;
            }
            else if (c == '/' && At(text, i + 1, '*'))
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else if (c is '\'' or '"')
            {
                var j = i + 1;
                while (j < text.Length && !(text[j] == c && !At(text, j + 1, c)))
                {
                    j += text[j] == c ? 2 : 1;
                }

                if (j >= text.Length)
                {
                    if (keepIncomplete)
                    {
                        // An open quote swallows the rest, including any semicolon in it: the statement is not complete.
                        yield return new SqlToken(text[i..], i, text.Length, false);
                    }

                    yield break;
                }

                yield return new SqlToken(text[i..(j + 1)], i, j + 1, false);
                i = j + 1;
            }
            else if (c == '$' && DollarTag(text, i) is { } tag)
            {
                var end = text.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                if (end < 0)
                {
                    if (keepIncomplete)
                    {
                        yield return new SqlToken(text[i..], i, text.Length, false);
                    }

                    yield break;
                }

                yield return new SqlToken(text[i..(end + tag.Length)], i, end + tag.Length, false);
                i = end + tag.Length;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var j = i + 1;
                while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] is '_' or '$'))
                {
                    j++;
                }

                yield return new SqlToken(text[i..j].ToLowerInvariant(), i, j, true);
                i = j;
            }
            else
            {
                yield return new SqlToken(c.ToString(), i, i + 1, false);
                i++;
            }
        }
    }

    private static bool At(string text, int i, char c) => i < text.Length && text[i] == c;

    /// <summary>The opening tag of a dollar-quoted string at <paramref name="i"/> (<c>$$</c> or <c>$name$</c>), or null.</summary>
    private static string? DollarTag(string text, int i)
    {
        var j = i + 1;
        while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_'))
        {
            j++;
        }

        return j < text.Length && text[j] == '$' && (j == i + 1 || !char.IsDigit(text[i + 1])) ? text[i..(j + 1)] : null;
    }
}
