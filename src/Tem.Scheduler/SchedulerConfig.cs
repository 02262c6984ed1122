using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tem.App;

namespace Tem.Scheduler;

/// <summary>Where the scheduler keeps its jobs, triggers and fire history.</summary>
public enum JobStoreKind
{
    /// <summary>An embedded SQLite file (the default): survives restarts, no server, one host.</summary>
    Sqlite,

    /// <summary>PostgreSQL: several hosts share it as a Quartz cluster (each fire runs on one node, a dead node's runs are recovered).</summary>
    Postgres,

    /// <summary>In memory: nothing survives a restart (for trying a schedule out).</summary>
    Memory,
}

/// <summary>The job store section of the configuration file.</summary>
public sealed record JobStoreConfig
{
    /// <summary><c>sqlite</c> (default), <c>postgres</c> or <c>memory</c>.</summary>
    public JobStoreKind Kind { get; init; } = JobStoreKind.Sqlite;

    /// <summary>SQLite: the database file (created on first start with Quartz's tables); relative to the configuration file.</summary>
    public string? Path { get; init; }

    /// <summary>PostgreSQL: an Npgsql connection string (<c>Host=db;Database=tem;Username=tem;Password=...</c>).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>PostgreSQL: take part in a cluster with every host sharing the database (default true).</summary>
    public bool Clustered { get; init; } = true;

    /// <summary>Cluster: how often a node records that it is alive (default 00:00:15).</summary>
    public TimeSpan? CheckinInterval { get; init; }

    /// <summary>Cluster: how long past a missed check-in the others treat a node as dead and recover its runs (default 00:00:30).</summary>
    public TimeSpan? CheckinMisfireThreshold { get; init; }

    /// <summary>How late a fire may start before it counts as missed and is run once as soon as possible (default 00:01:00).</summary>
    public TimeSpan? MisfireThreshold { get; init; }

    /// <summary>Whether the scheduler may create its tables when they are missing (default true; turn off where it has no DDL rights).</summary>
    public bool CreateSchema { get; init; } = true;
}

/// <summary>One pipeline the scheduler runs: ingest the inbox, audit, report, on a cron schedule.</summary>
public sealed record PipelineSchedule
{
    /// <summary>Its name: the job's key in the store and the command recorded in the lake's run history.</summary>
    public required string Name { get; init; }

    /// <summary>Quartz cron expression with seconds, e.g. <c>0 0 2 * * ?</c> for 02:00 every day.</summary>
    public required string Cron { get; init; }

    /// <summary>IANA or Windows time zone id the cron is read in (default: the host's local zone).</summary>
    public string? TimeZone { get; init; }

    /// <summary>The inbox folder; relative to the configuration file.</summary>
    public required string Inbox { get; init; }

    /// <summary>The lake folder; relative to the configuration file.</summary>
    public required string Lake { get; init; }

    /// <summary>The report folder; relative to the configuration file.</summary>
    public required string Out { get; init; }

    /// <summary>How long a run waits for another writer of its lake (another pipeline on the same lake) before it gives up (default 00:30:00).</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Audit and report even when a file failed to ingest (<c>tem run --audit-anyway</c>; default false: the findings stay those of the last complete run).</summary>
    public bool AuditAnyway { get; init; }

    /// <summary>DuckDB's memory limit for the run's ingest and audit (<c>tem run --memory-limit</c>); null: the settings' (default 1GB). Beyond it DuckDB spills to the lake's <c>_tem/tmp</c>.</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>The consultant's contingency fee in the run's report, percent of realised savings (<c>tem run --contingency-fee</c>); null: the settings' (default 0).</summary>
    public decimal? ContingencyFee { get; init; }

    /// <summary>Days without news after which a submitted claim is overdue, in the run's report (<c>tem run --follow-up-days</c>); null: the settings' (default 30).</summary>
    public int? FollowUpDays { get; init; }

    /// <summary>
    /// The pipeline's settings over the lake's <c>tem.json</c>, key by key: in the file, either the name of a settings
    /// file (relative to the configuration file) or a settings object (<see cref="TemSettings"/>'s shape). Read by
    /// <see cref="SchedulerConfig.Load"/> into <see cref="SettingsFile"/> or <see cref="EmbeddedSettings"/>.
    /// </summary>
    public JsonElement? Settings { get; init; }

    /// <summary>A settings file laid over the lake's <c>tem.json</c> (absolute path), read again at every run.</summary>
    [JsonIgnore]
    public string? SettingsFile { get; init; }

    /// <summary>Settings embedded in the configuration, laid over the lake's <c>tem.json</c> (and over <see cref="SettingsFile"/>).</summary>
    [JsonIgnore]
    public TemSettings? EmbeddedSettings { get; init; }

    /// <summary>The layers this pipeline lays over its lake's <c>tem.json</c>: its settings file, its embedded settings, then its own keys (<see cref="MemoryLimit"/>...).</summary>
    /// <exception cref="Tem.Core.InputDataException">The settings file cannot be used.</exception>
    public IReadOnlyList<SettingsLayer> SettingsLayers() => Layers(Name, SettingsFile, EmbeddedSettings, MemoryLimit, ContingencyFee, FollowUpDays);

    /// <summary>
    /// A pipeline's settings layers over the lake's file, in order: the settings file it names, its embedded settings,
    /// then its own keys. One definition for what <c>--check</c> validates and what each fire uses.
    /// </summary>
    internal static IReadOnlyList<SettingsLayer> Layers(string name, string? file, TemSettings? embedded, string? memoryLimit, decimal? contingencyFee, int? followUpDays)
    {
        var layers = new List<SettingsLayer>();
        if (file is not null)
        {
            layers.Add(new SettingsLayer(file, Tem.App.SettingsFile.Load(file)
                ?? throw new Tem.Core.InputDataException(new Tem.Core.SourceLocation(System.IO.Path.GetFileName(file)), "the settings file does not exist", "the file the pipeline's \"settings\" names")));
        }

        if (embedded is not null)
        {
            layers.Add(new SettingsLayer($"pipeline '{name}' settings", embedded));
        }

        if (memoryLimit is not null || contingencyFee is not null || followUpDays is not null)
        {
            layers.Add(new SettingsLayer($"pipeline '{name}'", new TemSettings
            {
                MemoryLimit = memoryLimit,
                Report = contingencyFee is null && followUpDays is null ? null : new ReportSettings { ContingencyFee = contingencyFee, FollowUpDays = followUpDays },
            }));
        }

        return layers;
    }

    /// <summary>
    /// How the inbox's files are read where they leave a choice (PBX zone and name, carrier profiles, EDI 811
    /// carrier, currency and charge codes), as <c>tem ingest</c>'s options; null: the defaults.
    /// </summary>
    public IngestSettings? Ingest { get; init; }
}

/// <summary>
/// The scheduler's configuration file (JSON, property names camelCase, enums as strings):
/// <code>
/// { "store": { "kind": "sqlite", "path": "scheduler.db" },
///   "pipelines": [ { "name": "nightly", "cron": "0 0 2 * * ?", "timeZone": "Europe/London",
///                    "inbox": "inbox", "lake": "lake", "out": "out", "auditAnyway": false, "memoryLimit": "1GB",
///                    "settings": { "report": { "fx": { "EUR": 1.08 } } },
///                    "ingest": { "pbxTimeZone": "Europe/London", "profiles": [ "profiles" ],
///                                "ediCarrier": "Acme", "ediCurrency": "USD", "ediChargeCodes": { "BASIC": "recurring" } } } ] }
/// </code>
/// </summary>
public sealed record SchedulerConfig
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The job store.</summary>
    public JobStoreConfig Store { get; init; } = new();

    /// <summary>The scheduler's name: every host of one cluster uses the same (default <c>tem</c>).</summary>
    public string SchedulerName { get; init; } = "tem";

    /// <summary>This host's node id in a cluster; unique per host (default: host name and process id).</summary>
    public string? InstanceId { get; init; }

    /// <summary>The pipelines to run.</summary>
    public IReadOnlyList<PipelineSchedule> Pipelines { get; init; } = [];

    /// <summary>Reads a configuration file; relative paths in it are resolved against its folder.</summary>
    /// <exception cref="Tem.Core.InputDataException">The file is not valid JSON or misses what a schedule needs.</exception>
    public static SchedulerConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = File.ReadAllText(path);
        SchedulerConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<SchedulerConfig>(text, Json);
        }
        catch (JsonException e)
        {
            throw new Tem.Core.InputDataException(
                new Tem.Core.SourceLocation(System.IO.Path.GetFileName(path), checked((int)(e.LineNumber ?? 0) + 1), checked((int)(e.BytePositionInLine ?? 0) + 1)),
                e.Message, "the scheduler configuration: { \"store\": {...}, \"pipelines\": [...] }", "see README, 'Nightly runs', for a sample", e);
        }

        if (config is null)
        {
            throw new Tem.Core.InputDataException(new Tem.Core.SourceLocation(System.IO.Path.GetFileName(path), 1, 1),
                "the file holds null", "the scheduler configuration: { \"store\": {...}, \"pipelines\": [...] }");
        }

        var baseDir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var pipelines = config.Pipelines.Select((p, i) => p.Settings switch
        {
            null or { ValueKind: JsonValueKind.Null } => p,
            { ValueKind: JsonValueKind.String } name => p with { SettingsFile = System.IO.Path.GetFullPath(name.GetString()!, baseDir) },
            { ValueKind: JsonValueKind.Object } embedded => p with
            {
                EmbeddedSettings = Tem.App.SettingsFile.ParseEmbedded(text, path, $"$.pipelines[{i.ToString(CultureInfo.InvariantCulture)}].settings", embedded.GetRawText()),
            },
            _ => throw new Tem.Core.InputDataException(
                new Tem.Core.SourceLocation(System.IO.Path.GetFileName(path), 0, 0, $"$.pipelines[{i.ToString(CultureInfo.InvariantCulture)}].settings"),
                "not a file name or an object", "\"settings\": \"nightly.json\" or \"settings\": { \"report\": { \"fx\": { \"EUR\": 1.08 } } }"),
        }).ToList();
        return (config with { Pipelines = pipelines }).ResolvePaths(baseDir);
    }

    /// <summary>Checks what JSON alone cannot: names, crons, zones, store settings. Returns the problems found, one line each.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Pipelines.Count == 0)
        {
            problems.Add("no pipelines: add at least one { name, cron, inbox, lake, out }");
        }

        foreach (var p in Pipelines)
        {
            if (string.IsNullOrWhiteSpace(p.Name))
            {
                problems.Add("a pipeline has no name");
            }

            if (!Quartz.CronExpression.TryParse(p.Cron, out _))
            {
                problems.Add($"pipeline '{p.Name}': cron '{p.Cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 2 * * ?' for 02:00 daily)");
            }

            if (p.TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(p.TimeZone, out _))
            {
                problems.Add($"pipeline '{p.Name}': time zone '{p.TimeZone}' is unknown; use an IANA id such as Europe/London");
            }

            if (p.LockWait < TimeSpan.Zero)
            {
                problems.Add($"pipeline '{p.Name}': lockWait must not be negative");
            }

            if (p.ContingencyFee is < 0 or > 100 || p.FollowUpDays is < 0)
            {
                problems.Add($"pipeline '{p.Name}': contingencyFee is a percentage from 0 to 100 and followUpDays 0 or more");
            }

            if (p.MemoryLimit is { } memory && !Tem.Lake.LakeSession.IsMemorySize(memory))
            {
                problems.Add($"pipeline '{p.Name}': memoryLimit '{p.MemoryLimit}' is not a size such as 1GB or 500MB");
            }

            try
            {
                // The lake's tem.json and the pipeline's settings are read here too, so a broken one stops the host at
                // start (and --check), not at 02:00; each run reads them again, so an edit applies from the next run on.
                var layers = p.SettingsLayers();
                // A settings file is checked as it is read; embedded settings built in code are checked here.
                problems.AddRange(Tem.App.SettingsFile.Validate(p.EmbeddedSettings ?? new TemSettings()).Select(v => $"pipeline '{p.Name}': settings {v.Path}: {v.Message}"));
                _ = EffectiveSettings.ForLake(p.Lake, [.. layers]);
            }
            catch (Exception e) when (e is Tem.Core.InputDataException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"pipeline '{p.Name}': settings: {e.Message}");
            }

            if (p.Ingest is { } ingest)
            {
                problems.AddRange(ingest.Validate().Select(i => $"pipeline '{p.Name}': ingest.{i.Setting} {i.Message}"));
                try
                {
                    // Loaded once here so a broken profile stops the host at start (and --check), not at 02:00.
                    _ = Tem.Ingest.Formats.Profiles.CarrierProfile.LoadAll(ingest.Profiles);
                }
                catch (Exception e) when (e is Tem.Core.InputDataException or IOException or UnauthorizedAccessException)
                {
                    problems.Add($"pipeline '{p.Name}': ingest.profiles: {e.Message}");
                }
            }
        }

        foreach (var dup in Pipelines.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"pipeline name '{dup.Key}' is used {dup.Count().ToString(CultureInfo.InvariantCulture)} times; names must be unique");
        }

        if (Store.Kind == JobStoreKind.Sqlite && string.IsNullOrWhiteSpace(Store.Path))
        {
            problems.Add("store: a sqlite store needs \"path\" (the database file)");
        }

        if (Store.Kind == JobStoreKind.Postgres && string.IsNullOrWhiteSpace(Store.ConnectionString))
        {
            problems.Add("store: a postgres store needs \"connectionString\"");
        }

        return problems;
    }

    private SchedulerConfig ResolvePaths(string baseDir)
    {
        string Resolve(string p) => System.IO.Path.GetFullPath(p, baseDir);
        return this with
        {
            Store = Store.Path is null ? Store : Store with { Path = Resolve(Store.Path) },
            Pipelines =
            [
                .. Pipelines.Select(p => p with
                {
                    Inbox = Resolve(p.Inbox), Lake = Resolve(p.Lake), Out = Resolve(p.Out),
                    Ingest = p.Ingest is null ? null : p.Ingest with
                    {
                        // JSON null for a list or map means "none", like leaving it out.
                        Profiles = [.. (p.Ingest.Profiles ?? []).Select(Resolve)],
                        EdiChargeCodes = p.Ingest.EdiChargeCodes ?? new Dictionary<string, string>(),
                    },
                }),
            ],
        };
    }
}
