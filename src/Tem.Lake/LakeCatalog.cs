using DuckDB.NET.Data;
using Tem.Core;
using Tem.DuckDb;

namespace Tem.Lake;

/// <summary>State of an ingested file in the catalog.</summary>
public enum FileState
{
    /// <summary>Its Parquet files are staged and being moved into the lake (a crash here is completed on the next run).</summary>
    Committing,

    /// <summary>Its rows are in the lake.</summary>
    Active,

    /// <summary>A newer file of the same reference kind replaced it; kept for history.</summary>
    Superseded,

    /// <summary>It could not be read as a whole (e.g. a required column is missing); its rows are in rejects.</summary>
    Failed,
}

/// <summary>One ingested file as the catalog records it.</summary>
/// <param name="FileId">The first 16 hex digits of its SHA-256: its name in the lake's Parquet files.</param>
/// <param name="Sha256">SHA-256 of its content (lower-case hex): the same content is never ingested twice.</param>
/// <param name="Path">Its absolute path when ingested.</param>
/// <param name="Kind">Its kind or format (<c>usage</c>, <c>asterisk</c>...).</param>
/// <param name="Table">The lake table its rows went to.</param>
/// <param name="Bytes">Its length in bytes (what was hashed).</param>
/// <param name="RowsRead">Rows read.</param>
/// <param name="RowsStored">Rows stored.</param>
/// <param name="RowsRejected">Rows rejected (in <c>rejects</c>).</param>
/// <param name="IngestedAt">When it was committed (UTC).</param>
/// <param name="RunId">The run that ingested it.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Message">Why it failed, when it did.</param>
/// <param name="AppendedTo">
/// When the file is an earlier ingested file grown in place (that file's bytes are its first bytes): the earlier file's
/// id; the file then holds only the rows after that prefix, from <paramref name="FromLine"/> on.
/// </param>
/// <param name="FromLine">The first line read (1 unless <paramref name="AppendedTo"/> is set).</param>
/// <param name="Replaces">The id of the earlier version at the same path that this file replaces (<c>tem ingest --replace</c>).</param>
public sealed record CatalogFile(
    string FileId, string Sha256, string Path, string Kind, string Table, long Bytes, long RowsRead, long RowsStored,
    long RowsRejected, DateTimeOffset IngestedAt, string RunId, FileState State, string? Message,
    string? AppendedTo = null, long FromLine = 1, string? Replaces = null);

/// <summary>One run of a command that changes the lake, as the catalog's run history records it.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Command">What ran: <c>ingest</c>, <c>audit</c>, <c>run</c>, <c>demo</c> or a scheduled pipeline's name.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="FinishedAt">When it ended; null while it runs, or when its process died and no later run closed it yet.</param>
/// <param name="Outcome">How it ended (stored by its wire name: <c>ok</c>, <c>failed</c>, <c>cancelled</c>, <c>interrupted</c>); null while it runs.</param>
/// <param name="Files">Input files it looked at.</param>
/// <param name="RowsRead">Rows read from them.</param>
/// <param name="RowsStored">Rows stored in the lake.</param>
/// <param name="RowsRejected">Rows rejected.</param>
/// <param name="Findings">Findings open after its audit; null when it did not audit.</param>
/// <param name="Message">Why it failed or was interrupted.</param>
public sealed record RunRecord(
    string RunId, string Command, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, RunOutcome? Outcome, int? Files, long? RowsRead,
    long? RowsStored, long? RowsRejected, int? Findings, string? Message)
{
    /// <summary>
    /// The settings the run used, as the JSON of a settings file (<c>tem.json</c>: memory limit, audit and report
    /// settings); null for runs that read no settings (<c>tem ingest</c>) and runs of lakes older than the column.
    /// </summary>
    public string? Settings { get; init; }

    /// <summary>The warnings its report gave, one per line; null when it wrote no report or had none.</summary>
    public string? Warnings { get; init; }
}

/// <summary>
/// The lake's catalog: a DuckDB database at <c>_tem/catalog.duckdb</c> holding the ingested files (SHA-256,
/// row counts, time, run), the Parquet files each contributed (the commit manifest) and the run history.
/// Connections are opened per operation and closed again, so other processes (an analyst's <c>tem sql</c>)
/// are locked out only for moments.
/// </summary>
public sealed class LakeCatalog
{
    // The states and outcomes the queries below filter on, as SQL literals of their wire names.
    private static readonly string Active = WireSql.Literal(FileState.Active);
    private static readonly string ActiveOrFailed = WireSql.List(FileState.Active, FileState.Failed);
    private static readonly string Ingested = WireSql.List(FileState.Active, FileState.Superseded, FileState.Committing);
    private static readonly string Finished = WireSql.List(RunOutcome.Ok, RunOutcome.Failed);

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS files (
            file_id VARCHAR PRIMARY KEY, sha256 VARCHAR NOT NULL, path VARCHAR NOT NULL, kind VARCHAR NOT NULL,
            table_name VARCHAR NOT NULL, bytes BIGINT NOT NULL, rows_read BIGINT NOT NULL, rows_stored BIGINT NOT NULL,
            rows_rejected BIGINT NOT NULL, ingested_at TIMESTAMPTZ NOT NULL, run_id VARCHAR NOT NULL, state VARCHAR NOT NULL,
            target_state VARCHAR NOT NULL, superseded_by VARCHAR, message VARCHAR);
        CREATE TABLE IF NOT EXISTS lake_files (
            file_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL, path VARCHAR NOT NULL, staged_path VARCHAR, removed BOOLEAN NOT NULL);
        CREATE TABLE IF NOT EXISTS runs (
            run_id VARCHAR PRIMARY KEY, command VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ,
            outcome VARCHAR, files INTEGER, rows_read BIGINT, rows_stored BIGINT, rows_rejected BIGINT, findings INTEGER, message VARCHAR);
        ALTER TABLE files ADD COLUMN IF NOT EXISTS appended_to VARCHAR;
        ALTER TABLE files ADD COLUMN IF NOT EXISTS from_line BIGINT DEFAULT 1;
        ALTER TABLE files ADD COLUMN IF NOT EXISTS replaces VARCHAR;
        ALTER TABLE runs ADD COLUMN IF NOT EXISTS settings VARCHAR;
        ALTER TABLE runs ADD COLUMN IF NOT EXISTS warnings VARCHAR;
        """;

    /// <summary>The columns of the <c>files</c> table and of <see cref="FilesFile"/>, in order.</summary>
    public const string FileColumns =
        "file_id VARCHAR, sha256 VARCHAR, path VARCHAR, kind VARCHAR, table_name VARCHAR, bytes BIGINT, rows_read BIGINT, rows_stored BIGINT, " +
        "rows_rejected BIGINT, ingested_at TIMESTAMPTZ, run_id VARCHAR, state VARCHAR, target_state VARCHAR, superseded_by VARCHAR, message VARCHAR, " +
        "appended_to VARCHAR, from_line BIGINT, replaces VARCHAR";

    /// <summary>The columns of the <c>runs</c> table and of <see cref="RunsFile"/>, in order.</summary>
    public const string RunColumns =
        "run_id VARCHAR, command VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, outcome VARCHAR, files INTEGER, rows_read BIGINT, " +
        "rows_stored BIGINT, rows_rejected BIGINT, findings INTEGER, message VARCHAR, settings VARCHAR, warnings VARCHAR";

    private readonly string _path;

    private LakeCatalog(string path) => _path = path;

    /// <summary>Opens (creating when needed) the catalog of a lake folder.</summary>
    public static LakeCatalog Open(string lakeRoot)
    {
        var dir = System.IO.Path.Combine(lakeRoot, "_tem");
        Directory.CreateDirectory(dir);
        var catalog = new LakeCatalog(System.IO.Path.Combine(dir, "catalog.duckdb"));
        using var c = catalog.Connect();
        c.Execute(Schema);
        return catalog;
    }

    /// <summary>
    /// Opens the catalog of an existing lake without changing anything (no folder or schema is created), for readers
    /// such as <c>tem sql</c>. Throws <see cref="NotALakeException"/> when the folder holds no lake.
    /// </summary>
    public static LakeCatalog OpenExisting(string lakeRoot)
    {
        LakeFolders.Require(lakeRoot);
        return new LakeCatalog(System.IO.Path.Combine(lakeRoot, "_tem", "catalog.duckdb"));
    }

    /// <summary>How long a writer keeps retrying when another process holds the catalog file's lock.</summary>
    public static TimeSpan LockRetry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Opens a short-lived connection to the catalog database. Another process holding DuckDB's lock on the file (an
    /// older reader, an analyst's own DuckDB) is transient: the open is retried with back-off (25 ms doubling to
    /// 1 s) for up to <see cref="LockRetry"/> before it fails.
    /// </summary>
    public DuckDBConnection Connect(bool readOnly = false)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(25);
        while (true)
        {
            try
            {
                return LakeSession.File(_path, new SessionOptions { Threads = 1, ReadOnly = readOnly });
            }
            catch (InfrastructureException e) when (IsLockConflict(e) && clock.Elapsed + delay < LockRetry)
            {
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.TicksPerSecond));
            }
            catch (InfrastructureException e)
            {
                throw new InfrastructureException(
                    IsLockConflict(e) ? $"Opening the lake catalog {_path}: another process held its lock for {LockRetry.TotalSeconds:0} s" : $"Opening the lake catalog {_path}",
                    e.InnerException ?? e);
            }
        }
    }

    private static bool IsLockConflict(Exception e) =>
        (e.InnerException?.Message ?? e.Message).Contains("Could not set lock on file", StringComparison.Ordinal);

    /// <summary>
    /// Keeps the catalog's database open until the result is disposed, so that the many short connections of a write
    /// (find, commit, complete, manifest, run history) reuse one DuckDB instance instead of opening and checkpointing
    /// the file each time (about 30 ms each). Writers only, under the lake's write lock: while it is held, the file is
    /// locked against other processes.
    /// </summary>
    public IDisposable Hold() => Connect();

    /// <summary>The run history file for readers under a lake root (<c>_tem/runs.parquet</c>), rewritten when a run ends.</summary>
    public static string RunsFile(string lakeRoot) => System.IO.Path.Combine(lakeRoot, "_tem", "runs.parquet");

    /// <summary>The ingested-files list for readers under a lake root (<c>_tem/files.parquet</c>), rewritten when a run ends.</summary>
    public static string FilesFile(string lakeRoot) => System.IO.Path.Combine(lakeRoot, "_tem", "files.parquet");

    /// <summary>Records the start of a run (a command that changes the lake) with the settings it runs with (JSON; null: none read).</summary>
    public void StartRun(string runId, string command, DateTimeOffset startedAt, string? settings = null)
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO runs (run_id, command, started_at, settings) VALUES ($1, $2, $3, $4)";
        cmd.Parameters.AddValue(runId);
        cmd.Parameters.AddValue(command);
        cmd.Parameters.AddValue(startedAt);
        cmd.Parameters.AddValue(settings);
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Writes the run history to <see cref="RunsFile"/> and the ingested files to <see cref="FilesFile"/> (each aside,
    /// then renamed), so that readers (<c>tem sql</c>'s <c>runs</c> and <c>files</c>) see them without ever opening the
    /// catalog, whose file lock would stall a writer. Called as each run ends: files only change inside runs.
    /// </summary>
    public void WriteHistoryFiles()
    {
        var root = System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(_path)!)!;
        using var c = Connect();
        foreach (var (path, columns, table, order) in new[]
                 {
                     (RunsFile(root), RunColumns, "runs", "started_at, run_id"),
                     (FilesFile(root), FileColumns, "files", "ingested_at, file_id"),
                 })
        {
            var temporary = path + ".tmp";
            var names = string.Join(", ", columns.Split(", ").Select(p => p.Split(' ')[0]));
            c.Execute($"COPY (SELECT {names} FROM {table} ORDER BY {order}) TO {SqlQuote.Literal(temporary)} (FORMAT parquet, COMPRESSION zstd)");
            File.Move(temporary, path, overwrite: true);
        }
    }

    /// <summary>The report warnings of the latest finished run of <paramref name="command"/> before <paramref name="runId"/>, with that run's id.</summary>
    public (string RunId, string? Warnings)? PreviousWarnings(string command, string runId)
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT run_id, warnings FROM runs WHERE command = $1 AND run_id <> $2 AND finished_at IS NOT NULL AND outcome IN ({Finished})
            ORDER BY started_at DESC LIMIT 1
            """;
        cmd.Parameters.AddValue(command);
        cmd.Parameters.AddValue(runId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), r.GetStringOrNull(1)) : null;
    }

    /// <summary>Records how a run ended, with its totals (<paramref name="findings"/>: open findings after its audit, if it audited).</summary>
    public void FinishRun(
        string runId, DateTimeOffset finishedAt, RunOutcome outcome, int files, long read, long stored, long rejected, string? message, int? findings = null,
        string? warnings = null)
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            UPDATE runs SET finished_at = $2, outcome = $3, files = $4, rows_read = $5, rows_stored = $6, rows_rejected = $7, message = $8,
                            findings = $9, warnings = $10
            WHERE run_id = $1
            """;
        foreach (var v in new object?[] { runId, finishedAt, WireNames.ToWire(outcome), files, read, stored, rejected, message, findings, warnings })
        {
            cmd.Parameters.AddValue(v);
        }

        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Closes the runs that started but never finished (their process died: only a caller holding the lake's
    /// <see cref="LakeWriteLock"/> may call this, so no other writer can still be running them) as
    /// <c>interrupted</c>, naming the run that found them. Returns their ids.
    /// </summary>
    public IReadOnlyList<string> CloseInterruptedRuns(string foundByRunId, DateTimeOffset now)
    {
        using var c = Connect();
        var ids = new List<string>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT run_id FROM runs WHERE finished_at IS NULL AND run_id <> $1 ORDER BY started_at";
            cmd.Parameters.AddValue(foundByRunId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                ids.Add(r.GetString(0));
            }
        }

        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = """
                UPDATE runs SET finished_at = $2, outcome = $3,
                       message = 'the process ended before the run finished; run ' || $1 || ' completed the lake'
                WHERE finished_at IS NULL AND run_id <> $1
                """;
            cmd.Parameters.AddValue(foundByRunId);
            cmd.Parameters.AddValue(now);
            cmd.Parameters.AddValue(WireNames.ToWire(RunOutcome.Interrupted));
            cmd.ExecuteNonQuery();
        }

        return ids;
    }

    /// <summary>The run history, oldest first.</summary>
    public IReadOnlyList<RunRecord> Runs()
    {
        // The writers' configuration, not read-only: in one process DuckDB refuses a second configuration of an open file.
        using var c = Connect();
        using var cmd = c.CreateCommand();
        // SELECT *: a lake older than the settings column (opened by a reader, no schema change) still reads.
        cmd.CommandText = "SELECT * FROM runs ORDER BY started_at, run_id";
        using var r = cmd.ExecuteReader();
        var names = Enumerable.Range(0, r.FieldCount).Select(r.GetName).ToList();
        var settings = names.IndexOf("settings");
        var warnings = names.IndexOf("warnings");
        var list = new List<RunRecord>();
        while (r.Read())
        {
            list.Add(new RunRecord(
                r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset?>(3),
                r.GetStringOrNull(4) is { } outcome ? WireNames.Parse<RunOutcome>(outcome) : null, r.GetFieldValue<int?>(5), r.GetFieldValue<long?>(6), r.GetFieldValue<long?>(7),
                r.GetFieldValue<long?>(8), r.GetFieldValue<int?>(9), r.GetStringOrNull(10))
            {
                Settings = settings < 0 ? null : r.GetStringOrNull(settings),
                Warnings = warnings < 0 ? null : r.GetStringOrNull(warnings),
            });
        }

        return list;
    }

    /// <summary>The active or superseded file with this content, if it was ingested before.</summary>
    public CatalogFile? FindIngested(string sha256)
    {
        using var c = Connect();
        return Query(c, $"WHERE sha256 = $1 AND state IN ({Ingested}) ORDER BY ingested_at LIMIT 1", sha256).FirstOrDefault();
    }

    /// <summary>The files whose rows are in the lake now (not failed, not superseded), oldest first.</summary>
    public IReadOnlyList<CatalogFile> ActiveFiles()
    {
        using var c = Connect();
        return Query(c, $"WHERE state = {Active} ORDER BY ingested_at, file_id");
    }

    /// <summary>The lake-relative Parquet paths of the table's active files, with the file each came from.</summary>
    public IReadOnlyList<(string FileId, string Path)> ActiveLakeFiles(string table)
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT l.file_id, l.path FROM lake_files l JOIN files f USING (file_id)
            WHERE l.table_name = $1 AND NOT l.removed AND f.state = {Active} ORDER BY l.path
            """;
        cmd.Parameters.AddValue(table);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string)>();
        while (r.Read())
        {
            list.Add((r.GetString(0), r.GetString(1)));
        }

        return list;
    }

    /// <summary>Every file the catalog knows, oldest first.</summary>
    public IReadOnlyList<CatalogFile> Files()
    {
        using var c = Connect();
        return Query(c, "ORDER BY ingested_at, file_id");
    }

    /// <summary>The lake-relative paths of the Parquet files that make up a table now.</summary>
    public IReadOnlyList<string> ActivePaths(string table)
    {
        using var c = Connect();
        return ActivePaths(c, table);
    }

    internal static IReadOnlyList<string> ActivePaths(DuckDBConnection c, string table)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT l.path FROM lake_files l JOIN files f USING (file_id)
            WHERE l.table_name = $1 AND NOT l.removed AND f.state IN ({ActiveOrFailed}) ORDER BY l.path
            """;
        cmd.Parameters.AddValue(table);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    /// <summary>For each table, the source file of its newest active version (as it was ingested: the path given).</summary>
    internal static Dictionary<string, string> ActiveSources(DuckDBConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT table_name, arg_max(path, ingested_at) FROM files WHERE state = {Active} GROUP BY table_name ORDER BY table_name";
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read())
        {
            map[r.GetString(0)] = r.GetString(1);
        }

        return map;
    }

    private static List<CatalogFile> Query(DuckDBConnection c, string tail, params object[] args)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT file_id, sha256, path, kind, table_name, bytes, rows_read, rows_stored, rows_rejected, " +
                          "ingested_at, run_id, state, message, appended_to, from_line, replaces FROM files " + tail;
        foreach (var a in args)
        {
            cmd.Parameters.AddValue(a);
        }

        using var r = cmd.ExecuteReader();
        var list = new List<CatalogFile>();
        while (r.Read())
        {
            list.Add(new CatalogFile(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetInt64(6),
                r.GetInt64(7), r.GetInt64(8), r.GetFieldValue<DateTimeOffset>(9), r.GetString(10),
                WireNames.Parse<FileState>(r.GetString(11)), r.GetStringOrNull(12), r.GetStringOrNull(13), r.IsDBNull(14) ? 1 : r.GetInt64(14),
                r.GetStringOrNull(15)));
        }

        return list;
    }
}
