using System.Globalization;
using DuckDB.NET.Data;
using Tem.Core;
using Tem.Ingest.Csv;
using Tem.DuckDb;
using Tem.Lake;
using Tem.Lake.Layouts;

namespace Tem.Ingest;

/// <summary>
/// Keeps the history of a versioned reference table (parties, accounts: <see cref="Layout.VersionKey"/>) when a newer
/// file replaces it. The rules (docs/channel.md):
/// <list type="bullet">
/// <item>Versions of one party or account in one file are ordered by <c>valid_from</c>; one without <c>valid_to</c>
/// ends where the next begins. Two from the same day, a <c>valid_to</c> not after its <c>valid_from</c>, and a
/// version that starts before the previous one ends are rejected (<c>duplicate_version</c>, <c>empty_validity</c>,
/// <c>overlapping_version</c>), naming both lines.</item>
/// <item>A newer file's versions replace the earlier history from the earliest <c>valid_from</c> it gives for that
/// party or account; earlier versions stay, cut where the new ones begin.</item>
/// <item>A row with neither date, the only one of its party or account in the file, is "as of now": the same as the
/// version in force on the ingest day changes nothing; a different one starts on the ingest day (a change never
/// rewrites a month already billed unless the file says from when).</item>
/// <item>A party or account the newer file no longer lists ends on the ingest day; its past stays.</item>
/// </list>
/// Done in SQL over the staged Parquet file and the table's current one; the merged history becomes the staged file.
/// </summary>
internal static class VersionHistory
{
    private const string Start = "DATE '0001-01-01'";
    private const string End = "DATE '9999-12-31'";

    /// <summary>The outcome of a merge: rows of the file rejected here, and what the ingest summary should add.</summary>
    public sealed record Outcome(long Rejected, string Note);

    public static Outcome Merge(
        TemLake lake, Layout layout, string stagedParquet, string inputPath, string name, string fileId, string runId, DateOnly today,
        DuckDBConnection rejectDb)
    {
        var key = string.Join(", ", layout.VersionKey.Select(SqlQuote.Identifier));
        string On(string left, string right) =>
            string.Join(" AND ", layout.VersionKey.Select(c => $"{left}.{SqlQuote.Identifier(c)} = {right}.{SqlQuote.Identifier(c)}"));
        var columns = layout.StoredColumns;
        var typed = string.Join(", ", columns.Select(c => $"CAST(\"{c.Name}\" AS {c.Type}) AS \"{c.Name}\""));
        var nulls = string.Join(", ", columns.Select(c => $"CAST(NULL AS {c.Type}) AS \"{c.Name}\""));
        using var db = LakeSession.InMemory(new SessionOptions { Threads = 1 });
        db.Execute(File.Exists(stagedParquet)
            ? $"CREATE TABLE n AS SELECT {typed} FROM read_parquet({SqlQuote.Literal(stagedParquet)})"
            : $"CREATE TABLE n AS SELECT {nulls} WHERE false");

        var earlier = lake.Catalog.ActiveLakeFiles(layout.Table).Select(f => SqlQuote.Literal(Path.Combine(lake.Root, f.Path))).ToList();
        db.Execute(earlier.Count == 0
            ? $"CREATE TABLE e AS SELECT {nulls} WHERE false"
            : $"CREATE TABLE e AS SELECT {typed} FROM (SELECT {nulls} WHERE false UNION ALL BY NAME " +
              $"SELECT * FROM read_parquet([{string.Join(", ", earlier)}], union_by_name = true))");

        // Rows rejected for a bad value still name their party or account: its history stays as it was (a typo in a
        // newer file does not end an account).
        var header = ReadHeader(inputPath);
        var held = HeldKeys(layout, header, rejectDb);
        db.Execute($"CREATE TABLE held ({string.Join(", ", layout.VersionKey.Select(c => SqlQuote.Identifier(c) + " VARCHAR"))})");
        using (var appender = db.CreateAppender("held"))
        {
            foreach (var values in held)
            {
                var row = appender.CreateRow();
                foreach (var v in values)
                {
                    row.AppendValue(v);
                }

                row.EndRow();
            }
        }

        var rejected = RejectBadVersions(db, layout, key, header, inputPath, name, fileId, runId, rejectDb);
        if (db.Scalar<long>("SELECT count(*) FROM n") == 0)
        {
            // Nothing usable in the file: the history stays as it was (an empty or wholly rejected file ends nothing).
            Write(db, "SELECT * FROM e", key, stagedParquet);
            return new Outcome(rejected, string.Empty);
        }

        // A version without valid_to ends where the next one of the file begins.
        db.Execute($"""
            UPDATE n SET valid_to = x.next_from
            FROM (SELECT source_line, lead(coalesce(valid_from, {Start})) OVER (PARTITION BY {key} ORDER BY coalesce(valid_from, {Start})) AS next_from FROM n) x
            WHERE x.source_line = n.source_line AND n.valid_to IS NULL AND x.next_from IS NOT NULL
            """);

        var d = $"DATE '{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'";
        var business = layout.Fields.Select(f => f.Name).Where(c => c is not ("valid_from" or "valid_to")).ToList();
        var same = string.Join(" AND ", business.Select(c => $"v.{SqlQuote.Identifier(c)} IS NOT DISTINCT FROM n.{SqlQuote.Identifier(c)}"));
        var onKey = On("v", "n");
        var inForceToday = $"coalesce(v.valid_from, {Start}) <= {d} AND (v.valid_to IS NULL OR v.valid_to > {d})";

        // Rows "as of now": the only row of their key, undated, for a key the lake already knows.
        db.Execute($"""
            CREATE TABLE current_rows AS
            SELECT n.source_line FROM n
            WHERE n.valid_from IS NULL AND n.valid_to IS NULL
              AND (SELECT count(*) FROM n m WHERE {On("m", "n")}) = 1
              AND EXISTS (SELECT 1 FROM e v WHERE {onKey});
            CREATE TABLE confirmed AS
            SELECT n.* FROM n WHERE n.source_line IN (SELECT source_line FROM current_rows)
              AND EXISTS (SELECT 1 FROM e v WHERE {onKey} AND {inForceToday} AND {same});
            DELETE FROM n WHERE source_line IN (SELECT source_line FROM confirmed);
            UPDATE n SET valid_from = {d} WHERE source_line IN (SELECT source_line FROM current_rows);
            """);
        var changedNow = db.Scalar<long>($"SELECT count(*) FROM n WHERE valid_from = {d} AND source_line IN (SELECT source_line FROM current_rows)");

        var onKeyE = On("f", "e");
        db.Execute($"""
            CREATE TABLE firsts AS SELECT {key}, min(coalesce(valid_from, {Start})) AS first_from FROM n GROUP BY ALL;
            CREATE TABLE listed AS SELECT DISTINCT {key} FROM (SELECT {key} FROM n UNION ALL SELECT {key} FROM confirmed UNION ALL SELECT {key} FROM held);
            -- What the file confirms as it is now, or names on a rejected row only: its versions stay as they are.
            CREATE TABLE unchanged AS SELECT {key} FROM confirmed UNION SELECT {key} FROM held EXCEPT SELECT {key} FROM n;
            CREATE TABLE merged AS
            -- Earlier versions of what the file dates: kept up to where the file's versions begin.
            SELECT e.* REPLACE (CASE WHEN e.valid_to IS NULL OR e.valid_to > f.first_from THEN f.first_from ELSE e.valid_to END AS valid_to)
            FROM e JOIN firsts f ON {onKeyE}
            WHERE coalesce(e.valid_from, {Start}) < f.first_from
            UNION ALL
            SELECT e.* FROM e SEMI JOIN unchanged f ON {onKeyE}
            UNION ALL
            -- What the file no longer lists: ends on the ingest day.
            SELECT e.* REPLACE (CASE WHEN e.valid_to IS NULL OR e.valid_to > {d} THEN {d} ELSE e.valid_to END AS valid_to)
            FROM e ANTI JOIN listed f ON {onKeyE}
            WHERE coalesce(e.valid_from, {Start}) < {d}
            UNION ALL
            SELECT * FROM n;
            """);

        var ended = db.Scalar<long>($"SELECT count(DISTINCT ({key})) FROM e ANTI JOIN listed f ON {onKeyE} WHERE e.valid_to IS NULL OR e.valid_to > {d}");
        var kept = db.Scalar<long>("SELECT count(*) FROM merged") - db.Scalar<long>("SELECT count(*) FROM n")
                   - db.Scalar<long>($"SELECT count(*) FROM e SEMI JOIN unchanged f ON {onKeyE}");
        Write(db, "SELECT * FROM merged", key, stagedParquet);

        var notes = new List<string>();
        if (kept > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{kept} earlier version{(kept == 1 ? "" : "s")} kept as history"));
        }

        if (changedNow > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{changedNow} undated change{(changedNow == 1 ? "" : "s")} in force from {today:yyyy-MM-dd} (give valid_from to date one earlier)"));
        }

        if (ended > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{ended} {layout.Kind} no longer listed end{(ended == 1 ? "s" : "")} on {today:yyyy-MM-dd}"));
        }

        return new Outcome(rejected, notes.Count == 0 ? string.Empty : "; " + string.Join("; ", notes));
    }

    private static void Write(DuckDBConnection db, string select, string key, string stagedParquet)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(stagedParquet)!);
        db.Execute($"COPY ({select} ORDER BY {key}, valid_from NULLS FIRST) TO {SqlQuote.Literal(stagedParquet)} (FORMAT parquet, COMPRESSION zstd)");
    }

    /// <summary>Rejects, until none is left, the rows of the file that would make its versions ambiguous.</summary>
    private static long RejectBadVersions(
        DuckDBConnection db, Layout layout, string key, List<string> header, string inputPath, string name, string fileId, string runId,
        DuckDBConnection rejectDb)
    {
        int Column(string c) => header.FindIndex(h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase)) + 1;
        var what = string.Join(" ", layout.VersionKey.Select(c => $"{c} ' || {SqlQuote.Identifier(c)} || '"));
        var checks = new (RejectReason Reason, string Column, string Sql)[]
        {
            (RejectReason.EmptyValidity, "valid_to", $"""
                SELECT source_line, 'is not after valid_from ' || strftime(valid_from, '%Y-%m-%d') || ': the version would never be in force'
                FROM n WHERE valid_from IS NOT NULL AND valid_to IS NOT NULL AND valid_to <= valid_from
                """),
            (RejectReason.DuplicateVersion, "valid_from", $"""
                SELECT source_line, '{what} already has a version from ' || coalesce(strftime(valid_from, '%Y-%m-%d'), 'the start')
                       || ' at line ' || first_line::VARCHAR || '; that line is kept'
                FROM (SELECT *, row_number() OVER w AS rn, first(source_line) OVER w AS first_line FROM n
                      WINDOW w AS (PARTITION BY {key}, coalesce(valid_from, {Start}) ORDER BY source_line ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
                WHERE rn > 1
                """),
            (RejectReason.OverlappingVersion, "valid_from", $"""
                SELECT source_line, 'starts before the version at line ' || prev_line::VARCHAR || ' ends (valid_to ' || strftime(prev_to, '%Y-%m-%d')
                       || '): {what} would have two versions in force'
                FROM (SELECT *, lag(valid_to) OVER w AS prev_to, lag(source_line) OVER w AS prev_line FROM n
                      WINDOW w AS (PARTITION BY {key} ORDER BY coalesce(valid_from, {Start}), source_line))
                WHERE prev_to IS NOT NULL AND prev_to > coalesce(valid_from, {Start})
                QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY source_line) = 1
                """),
        };

        long rejected = 0;
        using var appender = rejectDb.CreateAppender("rej");
        for (var pass = 0; pass < 1000; pass++)
        {
            var found = false;
            foreach (var (reason, column, sql) in checks)
            {
                var bad = new List<(long Line, string Message)>();
                using (var cmd = db.CreateCommand())
                {
                    cmd.CommandText = sql + " ORDER BY source_line";
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                    {
                        bad.Add((r.GetInt64(0), r.GetString(1)));
                    }
                }

                if (bad.Count == 0)
                {
                    continue;
                }

                found = true;
                var col = Column(column);
                foreach (var (line, message) in bad)
                {
                    var where = col > 0 ? $"{name}:{line}:{col}" : $"{name}:{line}";
                    appender.CreateRow().AppendValue(fileId).AppendValue(runId).AppendValue(name).AppendValue(layout.Kind).AppendValue(line)
                        .AppendValue(col > 0 ? col : (int?)null).AppendValue(column).AppendValue(WireNames.ToWire(reason))
                        .AppendValue($"{where}: {column} {message}").AppendValue(RawLine(inputPath, line)).EndRow();
                }

                rejected += bad.Count;
                db.Execute($"DELETE FROM n WHERE source_line IN ({string.Join(", ", bad.Select(b => b.Line.ToString(CultureInfo.InvariantCulture)))})");
                break;
            }

            if (!found)
            {
                break;
            }
        }

        return rejected;
    }

    private static List<string> ReadHeader(string path)
    {
        using var reader = new CsvRecordReader(File.OpenRead(path));
        return reader.Read() ? Fields(reader) : [];
    }

    private static List<string> Fields(CsvRecordReader reader) =>
        [.. Enumerable.Range(0, reader.FieldCount).Select(i => System.Text.Encoding.UTF8.GetString(reader.Field(i)).TrimStart('\uFEFF').Trim())];

    /// <summary>The key values (party id, or carrier and account id) of the file's rows rejected so far.</summary>
    private static List<string[]> HeldKeys(Layout layout, List<string> header, DuckDBConnection rejectDb)
    {
        var at = layout.VersionKey.Select(c => header.FindIndex(h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase))).ToArray();
        var keys = new List<string[]>();
        if (at.Any(i => i < 0))
        {
            return keys;
        }

        using var cmd = rejectDb.CreateCommand();
        cmd.CommandText = "SELECT raw FROM rej WHERE raw IS NOT NULL";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            using var row = new CsvRecordReader(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(r.GetString(0))));
            if (row.Read() && Fields(row) is var fields && at.All(i => i < fields.Count && fields[i].Length > 0))
            {
                keys.Add([.. at.Select(i => fields[i])]);
            }
        }

        return keys;
    }

    /// <summary>The text of a line of a (small) reference file, for the reject's <c>raw</c>.</summary>
    private static string RawLine(string path, long line) => File.ReadLines(path).Skip((int)Math.Max(0, line - 1)).FirstOrDefault() ?? string.Empty;
}
