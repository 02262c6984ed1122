namespace Tem.Lake.Layouts;

/// <summary>How a field's text is checked and stored.</summary>
public enum FieldType
{
    /// <summary>Text, stored as VARCHAR (UTF-8, at most <see cref="FieldSpec.MaxLength"/> bytes).</summary>
    Text,

    /// <summary>Identifier: text without leading/trailing spaces, stored as VARCHAR.</summary>
    Id,

    /// <summary>Phone number: a string (never a number); <c>+</c>, leading zeros and length kept. VARCHAR.</summary>
    Phone,

    /// <summary><c>YYYY-MM-DD</c>, stored as DATE.</summary>
    Date,

    /// <summary>ISO 8601 with an offset or <c>Z</c>; stored as TIMESTAMPTZ (the instant) plus the offset in minutes.</summary>
    Timestamp,

    /// <summary>Money: a decimal with <c>.</c> and at most 4 decimals, stored as DECIMAL(18,4).</summary>
    Money,

    /// <summary>Quantity: a decimal with <c>.</c> and at most 6 decimals, stored as DECIMAL(18,6).</summary>
    Quantity,

    /// <summary>Whole number, stored as BIGINT.</summary>
    WholeNumber,

    /// <summary>One of <see cref="FieldSpec.Values"/> (case-insensitive), stored lower case as VARCHAR.</summary>
    Enum,

    /// <summary><c>true</c> or <c>false</c>, stored as BOOLEAN.</summary>
    Boolean,

    /// <summary><c>YYYY-MM</c>, stored as VARCHAR.</summary>
    Month,

    /// <summary>ISO 4217 code, stored upper case as VARCHAR.</summary>
    Currency,

    /// <summary><c>#RRGGBB</c>, stored as VARCHAR.</summary>
    Color,

    /// <summary>An IANA time zone id known to the machine's tz database (e.g. <c>Europe/London</c>), stored as VARCHAR.</summary>
    TimeZone,
}

/// <summary>One column of a canonical layout.</summary>
/// <param name="Name">Column name in the CSV header (matched case-insensitively) and in the lake.</param>
/// <param name="Type">How the value is checked and stored.</param>
/// <param name="Required">The value may not be empty.</param>
/// <param name="InHeader">The column must be in the header (false: optional column, NULL when absent).</param>
public sealed record FieldSpec(string Name, FieldType Type, bool Required = false, bool InHeader = true)
{
    /// <summary>For <see cref="FieldType.Enum"/>: the accepted values, lower case.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>Negative values are rejected (durations, volumes, amounts owed).</summary>
    public bool NonNegative { get; init; }

    /// <summary>Longest value in UTF-8 bytes; longer is rejected as <c>too_long</c>.</summary>
    public int MaxLength { get; init; } = 4096;

    /// <summary>
    /// A column added to the layout after lakes were written with it: Parquet files written before lack it, and the
    /// table's view reads it as NULL from them (an append table's view otherwise reads only the columns its files have).
    /// </summary>
    public bool AddedLater { get; init; }

    /// <summary>The DuckDB type of the stored column.</summary>
    public string DuckType => Type switch
    {
        FieldType.Date => "DATE",
        FieldType.Timestamp => "TIMESTAMPTZ",
        FieldType.Money => "DECIMAL(18,4)",
        FieldType.Quantity => "DECIMAL(18,6)",
        FieldType.WholeNumber => "BIGINT",
        FieldType.Boolean => "BOOLEAN",
        _ => "VARCHAR",
    };
}

/// <summary>How a newer file of a kind relates to the older ones.</summary>
public enum LoadMode
{
    /// <summary>Facts (usage, invoices...): each file adds rows.</summary>
    Append,

    /// <summary>Reference data (services, plans, rates...): a newer file replaces the table; history stays in the catalog.</summary>
    Replace,
}

/// <summary>A canonical layout of formats.md: its columns, the lake table it lands in, and how.</summary>
/// <param name="Kind">The kind's name, e.g. <c>usage</c> (the file name formats.md gives it, without .csv).</param>
/// <param name="Table">Lake table, e.g. <c>usage</c> or <c>charges</c>.</param>
/// <param name="Mode">Append or replace.</param>
/// <param name="Fields">Columns, in formats.md order.</param>
public sealed record Layout(string Kind, string Table, LoadMode Mode, IReadOnlyList<FieldSpec> Fields)
{
    /// <summary>
    /// Hive partition columns: <c>carrier</c> and <c>month</c> (the billing month, <c>YYYY-MM</c>) for usage and
    /// charges; none for the others.
    /// </summary>
    public IReadOnlyList<string> PartitionBy { get; init; } = [];

    /// <summary>
    /// Columns that identify one record across files (usage: carrier and record id): a row of a new file whose key is
    /// already in the lake is a repeat, counted in the ingest summary (and judged by the audit's duplicate rule).
    /// Empty when records have no such identity.
    /// </summary>
    public IReadOnlyList<string> RecordKey { get; init; } = [];

    /// <summary>
    /// For a replaced kind whose rows are versions in time (parties, accounts): the columns naming one thing. The
    /// table then keeps every version, each in force from <c>valid_from</c> (inclusive; null = since always) to
    /// <c>valid_to</c> (exclusive; null = open): a newer file changes the versions from the dates it gives, or from
    /// the day it is ingested, and never an earlier month (see <c>docs/channel.md</c>). Empty for other kinds.
    /// </summary>
    public IReadOnlyList<string> VersionKey { get; init; } = [];

    /// <summary>
    /// The view holding every version of a versioned table (<c>party_versions</c>, <c>account_versions</c>); the
    /// table's own view is the latest version of each. Null for other kinds.
    /// </summary>
    public string? VersionsTable => VersionKey.Count == 0 ? null : Table switch
    {
        "parties" => "party_versions",
        "accounts" => "account_versions",
        _ => Table + "_versions",
    };

    /// <summary>Columns whose presence in a header identifies this kind (all the header-required ones).</summary>
    public IEnumerable<FieldSpec> HeaderColumns => Fields.Where(f => f.InHeader);

    /// <summary>
    /// Whether rows of the layout get <c>start_offset_min</c> and a <c>month</c> taken from <c>start_time</c>
    /// (usage, pbx_calls); other month-partitioned layouts take the month from <c>period_start</c>.
    /// </summary>
    public bool HasStartMonth =>
        PartitionBy.Contains("month") && Fields.Any(f => f.Name == "start_time" && f.Type == FieldType.Timestamp);

    /// <summary>
    /// Columns the ingest adds after the layout's fields, as (name, DuckDB type); the lake also stores
    /// <c>source_file</c> after them (see <see cref="StoredColumns"/>).
    /// </summary>
    public IReadOnlyList<(string Name, string Type)> DerivedColumns
    {
        get
        {
            var list = new List<(string, string)>();
            if (HasStartMonth)
            {
                list.Add(("start_offset_min", "INTEGER"));
            }

            if (PartitionBy.Contains("month"))
            {
                list.Add(("month", "VARCHAR"));
            }

            list.Add(("source_line", "BIGINT"));
            return list;
        }
    }

    /// <summary>The columns a validated row has: the fields, then <see cref="DerivedColumns"/>.</summary>
    public IReadOnlyList<(string Name, string Type)> RowColumns => [.. Fields.Select(f => (f.Name, f.DuckType)), .. DerivedColumns];

    /// <summary>Every column of the lake table, in file order: <see cref="RowColumns"/>, then <c>source_file</c>.</summary>
    public IReadOnlyList<(string Name, string Type)> StoredColumns => [.. RowColumns, ("source_file", "VARCHAR")];
}
