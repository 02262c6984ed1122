using DuckDB.NET.Data;
using Tem.Core;
using Tem.DuckDb;
using Tem.Lake.Layouts;

namespace Tem.Lake;

/// <summary>
/// A lake folder: Hive-partitioned Parquet per table (<c>usage/carrier=X/month=YYYY-MM/*.parquet</c>,
/// <c>charges/...</c>, <c>services/</c>, ..., <c>rejects/</c>) plus the catalog in <c>_tem/</c>.
/// Writes are staged under <c>_tem/staging/</c> and committed through the catalog: the catalog records the
/// files first, then they are moved into place (each move atomic), then the file is marked active. A crash leaves
/// the previous state readable, and the next <see cref="Open"/> completes an interrupted commit.
/// </summary>
public sealed class TemLake
{
    // The file states the commit's SQL sets and filters on, as SQL literals of their wire names.
    private static readonly string Active = WireSql.Literal(FileState.Active);
    private static readonly string Superseded = WireSql.Literal(FileState.Superseded);
    private static readonly string Committing = WireSql.Literal(FileState.Committing);

    /// <summary>The lake table of rejected input rows.</summary>
    public const string RejectsTable = "rejects";

    /// <summary>Columns of <c>rejects</c>: where a row came from, which column, why, and its raw text.</summary>
    public const string RejectsColumns =
        "file_id VARCHAR, run_id VARCHAR, source_file VARCHAR, kind VARCHAR, line BIGINT, \"column\" INTEGER, column_name VARCHAR, " +
        "reason VARCHAR, message VARCHAR, raw VARCHAR";

    private TemLake(string root, LakeCatalog catalog)
    {
        Root = root;
        Catalog = catalog;
    }

    /// <summary>The lake folder (absolute).</summary>
    public string Root { get; }

    /// <summary>The lake's catalog.</summary>
    public LakeCatalog Catalog { get; }

    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);

    /// <summary>
    /// True, once, for a file whose commit a crash had interrupted and that <see cref="Open"/> completed, so that the
    /// run that completed it can say so instead of "already ingested".
    /// </summary>
    public bool TakeCompletedCommit(string fileId)
    {
        lock (_completed)
        {
            return _completed.Remove(fileId);
        }
    }

    internal string StagingRoot => Path.Combine(Root, "_tem", "staging");

    /// <summary>Where a writer's DuckDB sessions spill beyond their memory limit (<c>_tem/tmp</c>).</summary>
    public string TempDirectory => Path.Combine(Root, "_tem", "tmp");

    /// <summary>Opens (creating when needed) a lake and completes any commit a crash interrupted.</summary>
    public static TemLake Open(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var full = Path.GetFullPath(root);
        Directory.CreateDirectory(full);
        var lake = new TemLake(full, LakeCatalog.Open(full));
        using (lake.Catalog.Hold())
        {
            lake.Recover();
            lake.WriteManifest();
        }

        return lake;
    }

    /// <summary>
    /// Opens an existing lake to read it, changing nothing: no folder is created and an interrupted commit is left
    /// for the next writer to complete (readers never see it: views list committed files only).
    /// Throws <see cref="NotALakeException"/> when the folder holds no lake.
    /// </summary>
    public static TemLake OpenExisting(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var full = Path.GetFullPath(root);
        return new TemLake(full, LakeCatalog.OpenExisting(full));
    }

    /// <summary>
    /// Creates one view per lake table on <paramref name="connection"/>, over the Parquet files the catalog lists
    /// as committed (an empty, typed view for a table with no data yet). Returns the absolute paths of the files the
    /// views read, so that a caller can allow exactly those before it turns off the engine's file access.
    /// </summary>
    public IReadOnlyList<string> CreateViews(DuckDBConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var read = new List<string>();
        var manifest = ReadManifest();
        connection.Execute(PhoneDigitsMacro);
        foreach (var layout in CanonicalLayouts.All.DistinctBy(l => l.Table))
        {
            var columns = layout.StoredColumns;
            var extra = layout.Kind == CanonicalLayouts.Usage.Kind || layout.Kind == CanonicalLayouts.PbxCalls.Kind
                ? ", tem_phone_digits(called_number) AS called_digits"
                : string.Empty;
            var paths = manifest.Paths(layout.Table);
            read.AddRange(paths.Select(p => Path.Combine(Root, p)));
            if (layout.VersionsTable is { } versions)
            {
                // Every version in <table>_versions; the table itself is the latest version of each party or account.
                CreateView(connection, versions, paths, columns, layout.PartitionBy, extra, evolving: true);
                var key = string.Join(", ", layout.VersionKey.Select(SqlQuote.Identifier));
                connection.Execute($"CREATE OR REPLACE VIEW \"{layout.Table}\" AS SELECT * FROM \"{versions}\" " +
                                   $"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY valid_from DESC NULLS LAST) = 1");
            }
            else
            {
                CreateView(connection, layout.Table, paths, columns, layout.PartitionBy, extra, evolving: layout.Mode == LoadMode.Replace,
                    addedLater: layout.Fields.Any(f => f.AddedLater));
            }
        }

        connection.Execute(InForceMacro);
        connection.Execute(PbxCallGroupsView);

        var rejectColumns = RejectsColumns.Split(", ").Select(c => c.Split(' ')).Select(p => (p[0].Trim('"'), p[1])).ToList();
        var rejectPaths = manifest.Paths(RejectsTable);
        read.AddRange(rejectPaths.Select(p => Path.Combine(Root, p)));
        CreateView(connection, RejectsTable, rejectPaths, rejectColumns, [], string.Empty);

        // Findings are written by the audit as one file, replaced atomically.
        var findings = FindingsFile.PathIn(Root);
        if (File.Exists(findings))
        {
            connection.Execute($"CREATE OR REPLACE VIEW findings AS {FindingsFile.Select(findings)}");
            read.Add(findings);
        }

        // The dispute history, the credits the last run could not apply on its own, the run history with the settings
        // each run used and the ingested files (empty before the first of each).
        foreach (var (view, path, columns) in new[]
                 {
                     ("dispute_events", DisputeFiles.EventsPath(Root), DisputeFiles.EventColumns),
                     ("credit_matches", DisputeFiles.MatchesPath(Root), DisputeFiles.MatchColumns),
                     ("runs", LakeCatalog.RunsFile(Root), LakeCatalog.RunColumns),
                     ("files", LakeCatalog.FilesFile(Root), LakeCatalog.FileColumns),
                 })
        {
            connection.Execute($"CREATE OR REPLACE VIEW {view} AS {DisputeFiles.Select(path, columns)}");
            if (File.Exists(path))
            {
                read.Add(path);
            }
        }

        return read;
    }

    /// <summary>
    /// <c>pbx_call_groups</c>: the calls of <c>pbx_calls</c>, whose rows are legs. Legs sharing <c>(pbx, call_id)</c> are
    /// one call (Asterisk legs of one <c>linkedid</c>, CUCM legs of one global call id, FreeSWITCH a- and b-legs); a leg
    /// without a call id is a call of its own (<c>call_key</c> falls back to its record id, then its file and line).
    /// A call starts at its earliest leg's start and is answered at its earliest answer; its talk time <c>billsec_s</c>
    /// runs from that answer to the latest end of its answered legs (answer + billsec), which is the answered leg's
    /// billsec when one leg was answered (a ring group) and the whole conversation across a transfer; a call with no
    /// answer time but billsec on a leg takes the largest billsec; unanswered, 0. Numbers and the channel are its
    /// first leg's (earliest start, then file line); disposition <c>answered</c> when a leg was, else the first leg's.
    /// </summary>
    public const string PbxCallGroupsView = """
        CREATE OR REPLACE VIEW pbx_call_groups AS
        SELECT pbx, call_key,
               any_value(call_id) AS call_id,
               count(*) AS legs,
               min(start_time) AS start_time,
               min(answer_time) AS answer_time,
               max(end_time) AS end_time,
               coalesce(round(max(epoch(answer_time) + billsec_s) - min(epoch(answer_time))), max(billsec_s), 0)::BIGINT AS billsec_s,
               arg_min(calling_number, first_leg) AS calling_number,
               arg_min(called_number, first_leg) AS called_number,
               arg_min(called_digits, first_leg) AS called_digits,
               CASE WHEN count(answer_time) > 0 OR bool_or(disposition = 'answered') THEN 'answered'
                    ELSE arg_min(disposition, first_leg) END AS disposition,
               arg_min(channel, first_leg) AS channel,
               list(record_id ORDER BY first_leg) AS record_ids
        FROM (SELECT *, coalesce(call_id, record_id, source_file || ':' || CAST(source_line AS VARCHAR)) AS call_key,
                     (start_time, source_file, source_line) AS first_leg
              FROM pbx_calls)
        GROUP BY pbx, call_key
        """;

    /// <summary>
    /// <c>tem_in_force(valid_from, valid_to, month)</c>: whether a version of a party or account is the one in force in a
    /// billing month (<c>YYYY-MM</c>): the one in force on the month's first day. A version dated mid-month counts from
    /// the next month; exactly one version of a party or account is in force in a month, or none.
    /// </summary>
    public const string InForceMacro = """
        CREATE OR REPLACE MACRO tem_in_force(valid_from, valid_to, month) AS (
            (valid_from IS NULL OR valid_from <= strptime(month || '-01', '%Y-%m-%d')::DATE)
            AND (valid_to IS NULL OR valid_to > strptime(month || '-01', '%Y-%m-%d')::DATE))
        """;

    /// <summary>
    /// <c>tem_phone_digits(number)</c>: the digits a called number is rated on, as <c>PhoneNumber.Normalize</c>
    /// gives them: separators removed, a leading <c>+</c> or international <c>00</c> (before 1-9) stripped.
    /// </summary>
    public const string PhoneDigitsMacro = """
        CREATE OR REPLACE MACRO tem_phone_digits(number) AS (
            CASE
                WHEN number IS NULL THEN NULL
                WHEN ltrim(number) LIKE '+%' THEN regexp_replace(number, '[^0-9]', '', 'g')
                WHEN regexp_matches(regexp_replace(number, '[^0-9]', '', 'g'), '^00[1-9]') THEN substr(regexp_replace(number, '[^0-9]', '', 'g'), 3)
                ELSE regexp_replace(number, '[^0-9]', '', 'g')
            END)
        """;

    private void CreateView(
        DuckDBConnection connection, string table, IReadOnlyList<string> paths, IReadOnlyList<(string Name, string Type)> columns,
        IReadOnlyList<string> partitions, string extraColumns, bool evolving = false, bool addedLater = false)
    {
        var select = string.Join(", ", columns.Select(c => $"CAST(\"{c.Name}\" AS {c.Type}) AS \"{c.Name}\"")) + extraColumns;
        var nulls = string.Join(", ", columns.Select(c => $"CAST(NULL AS {c.Type}) AS \"{c.Name}\""));
        string sql;
        if (paths.Count == 0)
        {
            sql = $"CREATE OR REPLACE VIEW \"{table}\" AS SELECT {select} FROM (SELECT {nulls} WHERE false)";
        }
        else if (evolving)
        {
            // A small reference table may have been written before a column was added to its layout: the typed empty
            // relation gives every current column, NULL where an older file lacks it.
            var list = string.Join(", ", paths.Select(p => SqlQuote.Literal(Path.Combine(Root, p))));
            sql = $"CREATE OR REPLACE VIEW \"{table}\" AS SELECT {select} FROM (SELECT {nulls} WHERE false UNION ALL BY NAME " +
                  $"SELECT * FROM read_parquet([{list}], hive_partitioning = false, union_by_name = true))";
        }
        else
        {
            var list = string.Join(", ", paths.Select(p => SqlQuote.Literal(Path.Combine(Root, p))));
            var hive = partitions.Count == 0
                ? "hive_partitioning = false"
                : "hive_partitioning = true, hive_types = {" + string.Join(", ", partitions.Select(p => $"'{p}': VARCHAR")) + "}";
            var source = $"read_parquet([{list}], {hive}, union_by_name = true)";
            if (addedLater)
            {
                // A column added to the layout after some files were written: when none of the files has it, union_by_name
                // alone gives no such column and the view would fail; the typed empty relation supplies it as NULL.
                source = $"(SELECT {nulls} WHERE false UNION ALL BY NAME SELECT * FROM {source})";
            }

            sql = $"CREATE OR REPLACE VIEW \"{table}\" AS SELECT {select} FROM {source}";
        }

        connection.Execute(sql);
    }

    /// <summary>
    /// Records a staged file in the catalog, moves its Parquet files into the lake and marks it done
    /// (<paramref name="file"/>'s state: <see cref="FileState.Active"/> or <see cref="FileState.Failed"/>).
    /// For a <see cref="LoadMode.Replace"/> kind, the table's previous files are removed and marked superseded.
    /// </summary>
    internal void Commit(CatalogFile file, IReadOnlyList<(string Table, string StagedPath)> staged)
    {
        using (var c = Catalog.Connect())
        {
            using var tx = c.BeginTransaction();
            using (var cmd = c.CreateCommand())
            {
                // A failed earlier attempt at the same file is replaced by this one.
                cmd.CommandText = "DELETE FROM lake_files WHERE file_id = $1; DELETE FROM files WHERE file_id = $1";
                cmd.Parameters.AddValue(file.FileId);
                cmd.ExecuteNonQuery();
            }

            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = $"""
                    INSERT INTO files (file_id, sha256, path, kind, table_name, bytes, rows_read, rows_stored, rows_rejected, ingested_at,
                                       run_id, state, target_state, superseded_by, message, appended_to, from_line, replaces)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, {Committing}, $12, NULL, $13, $14, $15, $16)
                    """;
                foreach (var v in new object?[]
                         {
                             file.FileId, file.Sha256, file.Path, file.Kind, file.Table, file.Bytes, file.RowsRead, file.RowsStored,
                             file.RowsRejected, file.IngestedAt, file.RunId, WireNames.ToWire(file.State), file.Message, file.AppendedTo,
                             file.FromLine, file.Replaces,
                         })
                {
                    cmd.Parameters.AddValue(v);
                }

                cmd.ExecuteNonQuery();
            }

            foreach (var (table, stagedPath) in staged)
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = "INSERT INTO lake_files VALUES ($1, $2, $3, $4, false)";
                cmd.Parameters.AddValue(file.FileId);
                cmd.Parameters.AddValue(table);
                cmd.Parameters.AddValue(FinalPath(stagedPath));
                cmd.Parameters.AddValue(stagedPath);
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
        }

        if (AfterCommitRecorded.TryGetValue(Root, out var hook))
        {
            hook(file.FileId);
        }
        CompleteCommit(file.FileId);
    }

    /// <summary>
    /// What readers see: the manifest the last writer wrote. A lake written before the manifest existed is read from
    /// the catalog once, read-only (the next writer writes the manifest).
    /// </summary>
    public LakeManifest ReadManifest()
    {
        if (LakeManifest.Read(Root) is { } manifest)
        {
            return manifest;
        }

        using var c = Catalog.Connect(readOnly: true);
        return LakeManifest.FromCatalog(c, ManifestTables);
    }

    private static IEnumerable<string> ManifestTables => CanonicalLayouts.All.Select(l => l.Table).Append(RejectsTable);

    private void WriteManifest()
    {
        using var c = Catalog.Connect();
        LakeManifest.Write(Root, c, ManifestTables);
    }

    /// <summary>Test hook: runs after the catalog records a commit and before its files move (a crash there must be recoverable).</summary>
    /// <remarks>Keyed by the lake's root: a test crashes its own lake only, while other tests commit in parallel.</remarks>
    internal static System.Collections.Concurrent.ConcurrentDictionary<string, Action<string>> AfterCommitRecorded { get; } = new(StringComparer.Ordinal);

    /// <summary>Staged paths look like <c>_tem/staging/&lt;file&gt;/&lt;table&gt;/...</c>; the final path drops the first three parts.</summary>
    private static string FinalPath(string stagedPath) =>
        string.Join('/', stagedPath.Split('/').Skip(3));

    private void CompleteCommit(string fileId)
    {
        using var c = Catalog.Connect();
        string table;
        FileState target;
        string? replaces;
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT table_name, target_state, replaces FROM files WHERE file_id = $1";
            cmd.Parameters.AddValue(fileId);
            using var r = cmd.ExecuteReader();
            if (!r.Read())
            {
                return;
            }

            table = r.GetString(0);
            target = WireNames.Parse<FileState>(r.GetString(1));
            replaces = r.GetStringOrNull(2);
        }

        var moves = new List<(string Staged, string Final)>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT staged_path, path FROM lake_files WHERE file_id = $1 AND staged_path IS NOT NULL";
            cmd.Parameters.AddValue(fileId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                moves.Add((r.GetString(0), r.GetString(1)));
            }
        }

        foreach (var (stagedRel, finalRel) in moves)
        {
            var staged = Path.Combine(Root, stagedRel);
            var final = Path.Combine(Root, finalRel);
            if (File.Exists(staged))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(final)!);
                File.Move(staged, final, overwrite: true);
            }
        }

        var kind = CanonicalLayouts.All.FirstOrDefault(l => l.Table == table);
        using var tx = c.BeginTransaction();
        IReadOnlyList<string> superseded = [];
        if (target == FileState.Active && kind?.Mode == LoadMode.Replace)
        {
            superseded = SupersedeOthers(c, fileId, table);
        }
        else if (target == FileState.Active && replaces is not null)
        {
            superseded = SupersedeOne(c, fileId, replaces);
        }

        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "UPDATE files SET state = target_state WHERE file_id = $1; UPDATE lake_files SET staged_path = NULL WHERE file_id = $1";
            cmd.Parameters.AddValue(fileId);
            cmd.ExecuteNonQuery();
        }

        tx.Commit();

        // Readers switch to the new state with the manifest; the replaced files go only after that, so a reader that
        // planned its query on the old manifest a moment ago still finds them (a crash here leaves them to Recover).
        LakeManifest.Write(Root, c, ManifestTables);
        DeleteRemovedFiles(superseded);
        DeleteQuietly(Path.Combine(StagingRoot, fileId));
    }

    /// <summary>
    /// Marks one earlier file superseded by <paramref name="fileId"/>, with the versions it grew from (a grown file holds
    /// only its new rows; the earlier versions hold the rest); returns their paths, to delete once readers moved on.
    /// </summary>
    private static List<string> SupersedeOne(DuckDBConnection c, string fileId, string replaced)
    {
        var ids = new List<string>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"""
                WITH RECURSIVE chain(file_id) AS (
                    SELECT $2::VARCHAR UNION SELECT f.appended_to FROM files f JOIN chain USING (file_id) WHERE f.appended_to IS NOT NULL)
                SELECT f.file_id FROM files f WHERE f.file_id IN (FROM chain) AND f.file_id <> $1 AND f.state = {Active} ORDER BY f.file_id
                """;
            cmd.Parameters.AddValue(fileId);
            cmd.Parameters.AddValue(replaced);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                ids.Add(r.GetString(0));
            }
        }

        var old = new List<string>();
        foreach (var id in ids)
        {
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT path FROM lake_files WHERE file_id = $1 AND NOT removed ORDER BY path";
                cmd.Parameters.AddValue(id);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    old.Add(r.GetString(0));
                }
            }

            using (var remove = c.CreateCommand())
            {
                remove.CommandText = "UPDATE lake_files SET removed = true WHERE file_id = $1";
                remove.Parameters.AddValue(id);
                remove.ExecuteNonQuery();
            }

            using var update = c.CreateCommand();
            update.CommandText = $"UPDATE files SET state = {Superseded}, superseded_by = $1 WHERE file_id = $2";
            update.Parameters.AddValue(fileId);
            update.Parameters.AddValue(id);
            update.ExecuteNonQuery();
        }

        return old;
    }

    /// <summary>Marks the table's other active files superseded; returns their paths, to delete once readers moved on.</summary>
    private static List<string> SupersedeOthers(DuckDBConnection c, string fileId, string table)
    {
        var old = new List<string>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"""
                SELECT l.path FROM lake_files l JOIN files f USING (file_id)
                WHERE f.table_name = $1 AND f.file_id <> $2 AND f.state = {Active} AND l.table_name = $1 AND NOT l.removed
                """;
            cmd.Parameters.AddValue(table);
            cmd.Parameters.AddValue(fileId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                old.Add(r.GetString(0));
            }
        }

        using var update = c.CreateCommand();
        update.CommandText = $"""
            UPDATE lake_files SET removed = true
            WHERE table_name = $1 AND file_id IN (SELECT file_id FROM files WHERE table_name = $1 AND file_id <> $2 AND state = {Active});
            UPDATE files SET state = {Superseded}, superseded_by = $2 WHERE table_name = $1 AND file_id <> $2 AND state = {Active};
            """;
        update.Parameters.AddValue(table);
        update.Parameters.AddValue(fileId);
        update.ExecuteNonQuery();
        return old;
    }

    /// <summary>Completes commits a crash interrupted and removes staging left by crashes before a commit began.</summary>
    private void Recover()
    {
        var pending = new List<string>();
        using (var c = Catalog.Connect())
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT file_id FROM files WHERE state = {Committing}";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                pending.Add(r.GetString(0));
            }
        }

        foreach (var id in pending)
        {
            CompleteCommit(id);
            _completed.Add(id);
        }

        // Files a commit superseded are deleted after its manifest; a crash in between leaves them here.
        using (var c = Catalog.Connect())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT path FROM lake_files WHERE removed";
            using var r = cmd.ExecuteReader();
            var removed = new List<string>();
            while (r.Read())
            {
                removed.Add(r.GetString(0));
            }

            DeleteRemovedFiles(removed);
        }

        if (Directory.Exists(StagingRoot))
        {
            foreach (var dir in Directory.EnumerateDirectories(StagingRoot))
            {
                DeleteQuietly(dir);
            }
        }
    }

    private void DeleteRemovedFiles(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            var full = Path.Combine(Root, path);
            if (File.Exists(full))
            {
                File.Delete(full);
            }
        }
    }

    private static void DeleteQuietly(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // Leftover staging is removed by the next Open; it is never read.
        }
    }
}
