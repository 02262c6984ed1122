using System.Text;
using System.Text.RegularExpressions;
using static Tem.Cli.Tests.Cli;

namespace Tem.Cli.Tests;

/// <summary>
/// The README and docs tell the truth: every link resolves in a clone, every <c>tem</c> command and option they quote
/// exists, and the figures of their example runs are what those runs print today.
/// </summary>
public sealed partial class ReadmeTests(DemoLakeFixture demo) : IClassFixture<DemoLakeFixture>
{
    private static readonly string[] Documents =
        [.. new[] { Repo("README.md"), Repo("benchmarks", "README.md") }.Concat(Directory.GetFiles(Repo("docs"), "*.md", SearchOption.AllDirectories))];

    private readonly Dictionary<string, string> _help = [];

    [Fact]
    public void Links_InTheReadmeAndDocs_ResolveInTheRepository()
    {
        var broken = new List<string>();
        foreach (var doc in Documents)
        {
            foreach (Match link in LinkPattern().Matches(StripCode(File.ReadAllText(doc))))
            {
                var target = link.Groups[1].Value;
                if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal) ||
                    target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var file = hash < 0 ? target : target[..hash];
                var path = file.Length == 0 ? doc : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(doc)!, file));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{Path.GetRelativePath(Repo(), doc)}: {target} (no such file)");
                }
                else if (hash >= 0 && path.EndsWith(".md", StringComparison.Ordinal) && !Anchors(path).Contains(target[(hash + 1)..]))
                {
                    broken.Add($"{Path.GetRelativePath(Repo(), doc)}: {target} (no such heading)");
                }
            }
        }

        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void Commands_QuotedInTheReadmeAndDocs_ExistWithEveryOptionQuoted()
    {
        var wrong = new List<string>();
        var checkedCommands = 0;
        foreach (var doc in Documents)
        {
            foreach (var snippet in CodeSnippets(File.ReadAllText(doc)))
            {
                foreach (var (path, options) in TemInvocations(snippet))
                {
                    checkedCommands++;
                    // ("tem rnu --help" prints the root's help, so an unknown word is marked by the extraction instead.)
                    var help = path is [['?', ..]] ? null : Help(path);
                    if (help is null)
                    {
                        wrong.Add($"{Path.GetFileName(doc)}: 'tem {string.Join(' ', path).TrimStart('?')}' is not a command ({snippet.Trim()})");
                        continue;
                    }

                    // An option is listed at the start of a help line ("  -q, --quiet", "  --lake <lake>"), not merely mentioned.
                    wrong.AddRange(options.Where(o => !Regex.IsMatch(help, $@"^\s{{2,}}(?:-\S+, )*{Regex.Escape(o)}(?=[\s,<]|$)", RegexOptions.Multiline))
                        .Select(o => $"{Path.GetFileName(doc)}: 'tem {string.Join(' ', path)}' has no option {o} ({snippet.Trim()})"));
                }
            }
        }

        Assert.True(checkedCommands > 50, $"only {checkedCommands} quoted commands were found; is the extraction broken?");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void DemoFigures_QuotedInTheReadme_AreWhatTheDemoPrints()
    {
        Assert.Equal(TemApp.Ok, demo.Code);
        var block = CodeBlocks(File.ReadAllText(Repo("README.md")))
            .Single(b => b.Any(l => l.StartsWith("report: .../tem-demo/report.html", StringComparison.Ordinal)));
        var printed = Lines(demo.Out + demo.Err);

        foreach (var line in block)
        {
            Assert.True(Matches(line, printed, "tem-demo", demo.Root), $"the README quotes a demo line the demo no longer prints:\n{line}\nIt prints:\n{demo.Out}{demo.Err}");
        }
    }

    [Fact]
    public void ExampleRuns_QuotedInTheReadme_PrintWhatTheReadmeShows()
    {
        var runs = CodeBlocks(File.ReadAllText(Repo("README.md"))).Where(b => b.Count > 1 && b[0].StartsWith("$ ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(runs);
        foreach (var block in runs)
        {
            var args = TemArgs(ShellSplit(block[0][2..]))!;
            Assert.NotNull(args);
            var output = Path.Combine(demo.Root, "readme-" + Guid.NewGuid().ToString("N"), "tem-out");
            var resolved = args.Select(a => a switch
            {
                "tem-demo/lake" => demo.Lake,
                "tem-out" => output,
                _ when a.Contains('/', StringComparison.Ordinal) && File.Exists(Repo(a)) => Repo(a),
                _ => a,
            }).ToArray();

            var run = Run(resolved);

            var printed = Lines((run.Out + run.Err).Replace(Repo() + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal));
            foreach (var line in block.Skip(1))
            {
                Assert.True(Matches(line, printed, "tem-out", output),
                    $"'{block[0]}': the README shows a line it no longer prints:\n{line}\nIt prints:\n{run.Out}{run.Err}");
            }
        }
    }

    /// <summary>
    /// A quoted line is printed as is; each "..." stands for the folders above the one the run wrote to (the README's
    /// <paramref name="folder"/>, which is <paramref name="actualFolder"/> here).
    /// </summary>
    private static bool Matches(string quoted, IReadOnlyList<string> printed, string folder, string actualFolder)
    {
        if (!quoted.Contains("...", StringComparison.Ordinal))
        {
            return printed.Contains(quoted.TrimEnd());
        }

        var pattern = "^" + string.Join(".+", quoted.TrimEnd().Split("...").Select(piece =>
            Regex.Escape(piece.Replace("/" + folder, Path.DirectorySeparatorChar + Path.GetFileName(actualFolder), StringComparison.Ordinal)))) + "$";
        return printed.Any(p => Regex.IsMatch(p, pattern));
    }

    private static List<string> Lines(string text) => [.. text.Split('\n').Select(l => l.TrimEnd('\r', ' '))];

    /// <summary>The help of <c>tem PATH</c>, or null when it is not a command.</summary>
    private string? Help(IReadOnlyList<string> path)
    {
        var key = string.Join(' ', path);
        if (!_help.TryGetValue(key, out var help))
        {
            var (code, output, _) = Run([.. path, "--help"]);
            help = code == TemApp.Ok ? output : string.Empty;
            _help[key] = help;
        }

        return help.Length == 0 ? null : help;
    }

    private IEnumerable<string> Subcommands(IReadOnlyList<string> path)
    {
        var help = Help(path) ?? string.Empty;
        var lines = help.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("Commands:", StringComparison.Ordinal));
        return start < 0 ? [] : lines.Skip(start + 1).TakeWhile(l => l.Trim().Length > 0)
            .Where(l => l.Length > 2 && l[2] != ' ').Select(l => l.Trim().Split(' ')[0]);
    }

    /// <summary>Each <c>tem</c> command line in a snippet: its command path and the options it quotes.</summary>
    private IEnumerable<(List<string> Path, List<string> Options)> TemInvocations(string snippet)
    {
        foreach (var line in snippet.Split('\n'))
        {
            var trimmed = line.TrimStart('$', ' ');
            if (trimmed.StartsWith("dotnet tool", StringComparison.Ordinal) || trimmed.StartsWith("dotnet pack", StringComparison.Ordinal))
            {
                continue;
            }

            // Several commands on a line: "tem ingest ... && tem audit ...", "... | tem sql".
            foreach (var part in Regex.Split(trimmed, @"&&|\|\||;|\|"))
            {
                if (TemArgs(ShellSplit(part)) is not { } args)
                {
                    continue;
                }

                var path = new List<string>();
                var i = 0;
                while (i < args.Count && Subcommands(path).Contains(args[i]))
                {
                    path.Add(args[i++]);
                }

                if (path.Count == 0 && i < args.Count && Regex.IsMatch(args[i], "^[a-z][a-z-]*$"))
                {
                    yield return (["?" + args[i]], []); // a word where a command belongs that is none: reported as "not a command"
                    continue;
                }

                if (path.Count == 0 && (i >= args.Count || !args[i].StartsWith('-')))
                {
                    continue; // "tem" alone, or a placeholder such as "tem <command>"
                }

                var options = args.Skip(i).Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2 && char.IsAsciiLetterLower(a[2]))
                    .Select(a => a.Split('=')[0].TrimEnd('`', ',', '.', ')'))
                    .ToList();
                yield return (path, options);
            }
        }
    }

    /// <summary>The arguments after <c>tem</c>, <c>tem.dll</c> or <c>dotnet run --project src/Tem.Cli --</c>; null when the text runs no tem.</summary>
    private static List<string>? TemArgs(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == "tem" || tokens[i].EndsWith("/tem.dll", StringComparison.Ordinal))
            {
                return tokens[(i + 1)..];
            }

            if (tokens[i] == "--" && tokens.Take(i).Contains("src/Tem.Cli"))
            {
                return tokens[(i + 1)..];
            }
        }

        return null;
    }

    private static List<string> ShellSplit(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quote = '\0';
        var any = false;
        foreach (var c in text)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (any || current.Length > 0)
                {
                    tokens.Add(current.ToString());
                }

                current.Clear();
                any = false;
            }
            else
            {
                current.Append(c);
            }
        }

        if (any || current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    /// <summary>The inline code spans and the lines of the fenced code blocks.</summary>
    private static IEnumerable<string> CodeSnippets(string markdown)
    {
        foreach (var block in CodeBlocks(markdown))
        {
            foreach (var line in block)
            {
                yield return line;
            }
        }

        foreach (Match span in InlineCode().Matches(StripCode(markdown)))
        {
            yield return span.Groups[1].Value;
        }
    }

    private static List<List<string>> CodeBlocks(string markdown)
    {
        var blocks = new List<List<string>>();
        List<string>? current = null;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (current is null)
                {
                    current = [];
                }
                else
                {
                    blocks.Add(current);
                    current = null;
                }
            }
            else
            {
                current?.Add(line);
            }
        }

        return blocks;
    }

    /// <summary>The text outside fenced code blocks.</summary>
    private static string StripCode(string markdown)
    {
        var outside = new StringBuilder();
        var inBlock = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
            }
            else if (!inBlock)
            {
                outside.Append(line).Append('\n');
            }
        }

        return outside.ToString();
    }

    /// <summary>GitHub's heading anchors of a markdown file: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static HashSet<string> Anchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in StripCode(File.ReadAllText(file)).Split('\n'))
        {
            var m = Regex.Match(line, @"^#{1,6}\s+(.*?)\s*$");
            if (m.Success)
            {
                var slug = Regex.Replace(m.Groups[1].Value.ToLowerInvariant(), @"[^\p{L}\p{Nd}\s_-]", string.Empty).Replace(' ', '-');
                var unique = slug;
                for (var n = 1; !anchors.Add(unique); n++)
                {
                    unique = $"{slug}-{n}";
                }
            }
        }

        return anchors;
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex InlineCode();
}
