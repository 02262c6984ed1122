using System.CommandLine;
using Tem.App;

namespace Tem.Cli;

/// <summary><c>tem config show [--lake DIR] [options]</c>: the settings a run of the lake would use, and where each comes from.</summary>
internal static class ConfigCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var lake = AuditCommands.LakeOption();
        var settingsOptions = SettingsOptions.All();
        var show = new Command("show", "Print the settings in force (default, the lake's tem.json, or an option given here) and where each comes from.") { lake };
        settingsOptions.AddTo(show);
        show.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var lakePath = parse.GetValue(lake)!;
            if (settingsOptions.Resolve(parse, lakePath, cli, "config", out var exitCode) is not { } settings)
            {
                return exitCode;
            }

            var file = SettingsFile.PathIn(lakePath);
            cli.Result(File.Exists(file) ? $"settings file: {file}" : $"settings file: none ({file} does not exist; tem audit --set ... --save writes it)");
            var entries = settings.Entries;
            var width = entries.Max(e => e.Key.Length);
            var valueWidth = Math.Min(40, entries.Max(e => (e.Value ?? "-").Length));
            foreach (var (key, value, source) in entries)
            {
                cli.Result($"{key.PadRight(width)}  {(value ?? "-").PadRight(valueWidth)}  {source}");
            }

            cli.Summary(new
            {
                File = File.Exists(file) ? file : null,
                Settings = settings.ToJsonElement(),
                Sources = entries.ToDictionary(e => e.Key, e => e.Source, StringComparer.Ordinal),
            });
            return TemApp.Ok;
        });
        return new Command("config", "The lake's settings file (tem.json): 'show' prints what is in force; --save on audit, report, run or show writes it.") { show };
    }
}
