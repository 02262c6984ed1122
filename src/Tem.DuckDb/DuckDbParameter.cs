using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Tem.DuckDb;

/// <summary>
/// A statement parameter. Named parameters (<c>$account</c> in SQL) match by name, with or without a leading
/// <c>$</c>, <c>@</c> or <c>:</c>; unnamed ones bind by position to <c>?</c> or <c>$1</c>, <c>$2</c>...
/// The DuckDB type comes from the CLR value: see <see cref="ParameterBinder"/> for the mapping.
/// </summary>
public sealed class DuckDbParameter : DbParameter
{
    private string _name = string.Empty;

    /// <summary>Creates an unnamed parameter with no value (NULL).</summary>
    public DuckDbParameter()
    {
    }

    /// <summary>Creates a positional parameter.</summary>
    public DuckDbParameter(object? value) => Value = value;

    /// <summary>Creates a named parameter; the name may carry a <c>$</c>, <c>@</c> or <c>:</c> prefix.</summary>
    public DuckDbParameter(string name, object? value)
    {
        ParameterName = name;
        Value = value;
    }

    /// <inheritdoc />
    public override DbType DbType { get; set; } = DbType.Object;

    /// <inheritdoc />
    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input)
            {
                throw new NotSupportedException("DuckDB parameters are input only.");
            }
        }
    }

    /// <inheritdoc />
    public override bool IsNullable { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string ParameterName
    {
        get => _name;
        set => _name = value ?? string.Empty;
    }

    /// <inheritdoc />
    [AllowNull]
    public override string SourceColumn { get; set; } = string.Empty;

    /// <inheritdoc />
    public override object? Value { get; set; }

    /// <inheritdoc />
    public override bool SourceColumnNullMapping { get; set; }

    /// <inheritdoc />
    public override int Size { get; set; }

    /// <summary>The name without its SQL prefix character.</summary>
    internal string BareName => _name.Length > 0 && _name[0] is '$' or '@' or ':' ? _name[1..] : _name;

    /// <inheritdoc />
    public override void ResetDbType() => DbType = DbType.Object;
}

/// <summary>The parameters of a <see cref="DuckDbCommand"/>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1010", Justification = "DbParameterCollection's non-generic list is the ADO.NET contract.")]
public sealed class DuckDbParameterCollection : DbParameterCollection
{
    private readonly List<DuckDbParameter> _items = [];

    /// <inheritdoc />
    public override int Count => _items.Count;

    /// <inheritdoc />
    public override object SyncRoot => ((ICollection)_items).SyncRoot;

    internal IReadOnlyList<DuckDbParameter> Items => _items;

    /// <summary>Adds a parameter with a name and value.</summary>
    public DuckDbParameter Add(string name, object? value)
    {
        var p = new DuckDbParameter(name, value);
        _items.Add(p);
        return p;
    }

    /// <summary>Adds a positional parameter.</summary>
    public DuckDbParameter AddValue(object? value)
    {
        var p = new DuckDbParameter(value);
        _items.Add(p);
        return p;
    }

    /// <inheritdoc />
    public override int Add(object value)
    {
        _items.Add(Cast(value));
        return _items.Count - 1;
    }

    /// <inheritdoc />
    public override void AddRange(Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var v in values)
        {
            Add(v!);
        }
    }

    /// <inheritdoc />
    public override void Clear() => _items.Clear();

    /// <inheritdoc />
    public override bool Contains(object value) => value is DuckDbParameter p && _items.Contains(p);

    /// <inheritdoc />
    public override bool Contains(string value) => IndexOf(value) >= 0;

    /// <inheritdoc />
    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public override int IndexOf(object value) => value is DuckDbParameter p ? _items.IndexOf(p) : -1;

    /// <inheritdoc />
    public override int IndexOf(string parameterName)
    {
        var bare = new DuckDbParameter { ParameterName = parameterName }.BareName;
        return _items.FindIndex(p => string.Equals(p.BareName, bare, StringComparison.OrdinalIgnoreCase));
    }

    /// <inheritdoc />
    public override void Insert(int index, object value) => _items.Insert(index, Cast(value));

    /// <inheritdoc />
    public override void Remove(object value) => _items.Remove(Cast(value));

    /// <inheritdoc />
    public override void RemoveAt(int index) => _items.RemoveAt(index);

    /// <inheritdoc />
    public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOfOrThrow(parameterName));

    /// <inheritdoc />
    protected override DbParameter GetParameter(int index) => _items[index];

    /// <inheritdoc />
    protected override DbParameter GetParameter(string parameterName) => _items[IndexOfOrThrow(parameterName)];

    /// <inheritdoc />
    protected override void SetParameter(int index, DbParameter value) => _items[index] = Cast(value);

    /// <inheritdoc />
    protected override void SetParameter(string parameterName, DbParameter value) =>
        _items[IndexOfOrThrow(parameterName)] = Cast(value);

    private int IndexOfOrThrow(string parameterName)
    {
        var i = IndexOf(parameterName);
        return i >= 0 ? i : throw new ArgumentException($"No parameter named '{parameterName}'.", nameof(parameterName));
    }

    private static DuckDbParameter Cast(object value) => value as DuckDbParameter ??
        throw new ArgumentException($"Expected a DuckDbParameter, got {value?.GetType().Name ?? "null"}.", nameof(value));
}
