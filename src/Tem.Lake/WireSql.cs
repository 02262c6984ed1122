using Tem.Core;
using Tem.DuckDb;

namespace Tem.Lake;

/// <summary>
/// SQL literals of wire names, for the state filters Tem writes into its own SQL (<c>state = 'active'</c>,
/// <c>outcome IN ('ok', 'failed')</c>): the text comes from the enum through <see cref="WireNames"/>, so the query and
/// the values stored by <see cref="WireNames.ToWire{TEnum}"/> cannot drift apart.
/// </summary>
public static class WireSql
{
    /// <summary>The member's wire name as a SQL string literal: <see cref="FileState.Active"/> gives <c>'active'</c>.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="value">The member.</param>
    /// <returns>The literal.</returns>
    public static string Literal<TEnum>(TEnum value)
        where TEnum : struct, Enum => SqlQuote.Literal(WireNames.ToWire(value));

    /// <summary>The members' literals separated by commas, for <c>IN (...)</c>: <c>'active', 'failed'</c>.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="values">The members.</param>
    /// <returns>The list, without parentheses.</returns>
    public static string List<TEnum>(params IEnumerable<TEnum> values)
        where TEnum : struct, Enum => string.Join(", ", values.Select(Literal));
}
