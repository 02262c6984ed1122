using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Tem.Core;

/// <summary>
/// The snake_case names by which enum members appear in files, the lake and reports: each PascalCase member maps
/// to its words in lower case joined by <c>_</c> (<c>VoiceLine</c> &lt;-&gt; <c>voice_line</c>, <c>Offpeak</c> &lt;-&gt; <c>offpeak</c>).
/// </summary>
/// <remarks>
/// Parsing is case-insensitive but otherwise exact: no trimming, no numeric values, no PascalCase spelling
/// (<c>VOICE_LINE</c> parses, <c>VoiceLine</c> and <c>1</c> do not), so an unknown value can be rejected with a reason.
/// </remarks>
public static class WireNames
{
    /// <summary>Parses a wire name.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="text">The wire name, e.g. <c>voice_line</c>; may be null.</param>
    /// <param name="value">The member, or <c>default</c> when parsing fails.</param>
    /// <returns>Whether <paramref name="text"/> names a member of <typeparamref name="TEnum"/>.</returns>
    public static bool TryParse<TEnum>([NotNullWhen(true)] string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return text is not null && Map<TEnum>.ByName.TryGetValue(text, out value);
    }

    /// <summary>Parses a wire name.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="text">The wire name, e.g. <c>voice_line</c>.</param>
    /// <returns>The member.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> names no member; the message lists the expected names.</exception>
    public static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse<TEnum>(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a {typeof(TEnum).Name}, expected {Expected<TEnum>()}.");
    }

    /// <summary>The wire name of a member.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="value">The member.</param>
    /// <returns>Its snake_case name, e.g. <c>voice_line</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a declared member.</exception>
    public static string ToWire<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Map<TEnum>.ByValue.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a declared member of {typeof(TEnum).Name}.");

    /// <summary>The wire names of all members, in order of value (the declaration order for Tem's enums).</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> All<TEnum>()
        where TEnum : struct, Enum => Map<TEnum>.Names;

    /// <summary>The expected values for an error message, e.g. <c>one of active, suspended, disconnected</c>.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <returns>The text.</returns>
    public static string Expected<TEnum>()
        where TEnum : struct, Enum => "one of " + string.Join(", ", Map<TEnum>.Names);

    /// <summary>Converts a PascalCase identifier to snake_case: <c>LateFee</c> gives <c>late_fee</c>.</summary>
    /// <param name="pascalCase">The identifier.</param>
    /// <returns>The words in lower case, joined by <c>_</c>.</returns>
    internal static string ToSnakeCase(string pascalCase)
    {
        var builder = new StringBuilder(pascalCase.Length + 4);
        for (var i = 0; i < pascalCase.Length; i++)
        {
            var c = pascalCase[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static class Map<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly ReadOnlyCollection<string> Names = Array.AsReadOnly(Enum.GetNames<TEnum>().Select(ToSnakeCase).ToArray());

        public static readonly FrozenDictionary<TEnum, string> ByValue =
            Enum.GetValues<TEnum>().Zip(Names).ToFrozenDictionary(p => p.First, p => p.Second);

        public static readonly FrozenDictionary<string, TEnum> ByName =
            Enum.GetValues<TEnum>().Zip(Names).ToFrozenDictionary(p => p.Second, p => p.First, StringComparer.OrdinalIgnoreCase);
    }
}
