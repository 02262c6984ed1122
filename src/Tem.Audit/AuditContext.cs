using DuckDB.NET.Data;

namespace Tem.Audit;

/// <summary>
/// What every rule of one audit run sees: the connection (the lake's views, <c>base.sql</c> and <c>rating.sql</c>
/// defined), the setting overrides, and the results of the shared setups done so far in this run.
/// </summary>
public sealed class AuditContext
{
    private readonly Dictionary<SharedSetup, object> _prepared = [];

    /// <summary>A context over <paramref name="db"/> with the <c>rule.setting</c> overrides <paramref name="settings"/>.</summary>
    public AuditContext(DuckDBConnection db, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        Db = db;
        Settings = settings;
    }

    /// <summary>The run's connection.</summary>
    public DuckDBConnection Db { get; }

    /// <summary>Setting overrides as <c>rule.setting</c> = value (see <see cref="AuditOptions.Settings"/>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>What <paramref name="setup"/> prepared in this run.</summary>
    /// <exception cref="InvalidOperationException">The setup has not run in this run (the engine runs it before the first rule that names it).</exception>
    public T Get<T>(SharedSetup<T> setup)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(setup);
        return _prepared.TryGetValue(setup, out var value)
            ? (T)value
            : throw new InvalidOperationException($"The shared setup {setup.Name} has not run in this audit.");
    }

    /// <summary>Whether <paramref name="setup"/> has run in this run.</summary>
    public bool IsPrepared(SharedSetup setup) => _prepared.ContainsKey(setup);

    /// <summary>Runs <paramref name="setup"/> once in this run (later calls do nothing).</summary>
    public void Prepare(SharedSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (!_prepared.ContainsKey(setup))
        {
            _prepared[setup] = setup.Run(this);
        }
    }
}

/// <summary>
/// Work that several rules share (e.g. the anomaly models' settings and feature views), done once per run before the
/// first rule that names it as its <see cref="IAuditRule.Setup"/>, and charged to that rule's time. When it fails,
/// every rule that needs it fails with its message (the first is started, the others are not).
/// </summary>
public abstract class SharedSetup
{
    /// <summary>A name for messages.</summary>
    public abstract string Name { get; }

    /// <summary>Does the work; its result is what <see cref="AuditContext.Get{T}"/> returns.</summary>
    internal abstract object Run(AuditContext context);
}

/// <summary>A <see cref="SharedSetup"/> whose result the rules read with <see cref="AuditContext.Get{T}"/>.</summary>
/// <typeparam name="T">What it prepares.</typeparam>
public abstract class SharedSetup<T> : SharedSetup
    where T : class
{
    /// <summary>Does the work once for the run.</summary>
    /// <exception cref="ArgumentException">A setting is bad; the rules that need this setup fail with the message.</exception>
    /// <exception cref="InvalidOperationException">The setup cannot be done; likewise.</exception>
    protected abstract T Prepare(AuditContext context);

    internal sealed override object Run(AuditContext context) => Prepare(context);
}
