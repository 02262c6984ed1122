using System.CommandLine;
using Tem.Lake;

namespace Tem.Cli;

/// <summary>The one <c>--memory-limit</c> option of ingest, audit, run and sql: a DuckDB size, checked before anything runs.</summary>
internal static class MemoryLimitOption
{
    /// <summary><c>--memory-limit</c>: DuckDB's limit for the command's queries (it spills to the lake's <c>_tem/tmp</c> beyond).</summary>
    public static Option<string> Create(
        string description = "Memory for ingest and audit (e.g. 1GB or 500MB): DuckDB's limit for ingest; an audit gives DuckDB half and keeps the rest for its models. Beyond it DuckDB spills to the lake's _tem/tmp.",
        string fallback = "1GB")
    {
        var option = new Option<string>("--memory-limit") { Description = description, DefaultValueFactory = _ => fallback };
        option.Validators.Add(result =>
        {
            if (!LakeSession.IsMemorySize(result.GetValueOrDefault<string>()))
            {
                result.AddError($"--memory-limit '{result.GetValueOrDefault<string>()}' is not a size such as 1GB or 500MB");
            }
        });
        return option;
    }
}
