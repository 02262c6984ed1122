using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Tem.Ingest.Csv;

/// <summary>
/// How text fields that are not valid UTF-8 are read: with one fallback encoding per file (Windows-1252 unless declared:
/// a PBX or spreadsheet that does not write UTF-8 almost always writes that, and it decodes every byte), counting the
/// fields so decoded so that the ingest says so once per file. Only free text (display names, user fields,
/// descriptions) is decoded this way; a field Tem computes on (a number, a time, an id, a disposition) that is not
/// UTF-8 rejects its row as <c>bad_encoding</c> naming the column. Thread-safe: the slices of one file share it.
/// </summary>
public sealed class TextFallback
{
    /// <summary>The encoding used when none is declared.</summary>
    public const string DefaultName = "windows-1252";

    private long _fields;

    /// <summary>A counter decoding with <paramref name="encoding"/> (null: <see cref="DefaultName"/>).</summary>
    public TextFallback(Encoding? encoding = null)
    {
        Encoding = encoding ?? Resolve(DefaultName)!;
    }

    /// <summary>The fallback encoding.</summary>
    public Encoding Encoding { get; }

    /// <summary>The encoding's name as a person writes it, e.g. <c>windows-1252</c>.</summary>
    public string Name => Encoding.WebName;

    /// <summary>Text fields decoded with the fallback so far.</summary>
    public long Fields => Interlocked.Read(ref _fields);

    /// <summary>The once-per-file note, e.g. <c>8 text fields were not UTF-8; read as windows-1252</c>; null when none was.</summary>
    public string? Note => Fields switch
    {
        0 => null,
        1 => $"1 text field was not UTF-8; read as {Name}",
        var n => string.Create(CultureInfo.InvariantCulture, $"{n} text fields were not UTF-8; read as {Name}"),
    };

    /// <summary>
    /// The encoding of a name (<c>windows-1252</c>, <c>cp1252</c>, <c>latin1</c>, <c>iso-8859-15</c>, <c>utf-8</c>, any
    /// name or code page .NET's code-pages provider knows), or null when unknown.
    /// </summary>
    public static Encoding? Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        // The legacy code pages ship with .NET but are only found once their provider is registered.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var key = name.Trim();
        key = key.ToUpperInvariant() switch
        {
            "CP1252" or "WIN1252" => "windows-1252",
            "LATIN1" or "LATIN-1" => "iso-8859-1",
            "LATIN9" or "LATIN-9" => "iso-8859-15",
            _ => key,
        };
        try
        {
            return int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var codePage)
                ? Encoding.GetEncoding(codePage)
                : Encoding.GetEncoding(key);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>A fallback named <paramref name="name"/> (null: the default); throws naming the setting when unknown.</summary>
    public static TextFallback Named(string? name, string setting)
    {
        if (name is null)
        {
            return new TextFallback();
        }

        return Resolve(name) is { } encoding
            ? new TextFallback(encoding)
            : throw new ArgumentException($"{setting}: '{name}' is not an encoding .NET knows; expected e.g. windows-1252, iso-8859-1, iso-8859-15");
    }

    /// <summary>Text of <paramref name="bytes"/>: UTF-8 when valid, else decoded with the fallback and counted.</summary>
    public string Decode(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        Interlocked.Increment(ref _fields);
        return Encoding.GetString(bytes);
    }

    /// <summary>UTF-8 bytes of <paramref name="bytes"/> (not valid UTF-8) decoded with the fallback; counted.</summary>
    public byte[] ToUtf8(ReadOnlySpan<byte> bytes)
    {
        Interlocked.Increment(ref _fields);
        return Encoding.UTF8.GetBytes(Encoding.GetString(bytes));
    }

    /// <summary>Counts a field decoded elsewhere with <see cref="Encoding"/>.</summary>
    internal void Count() => Interlocked.Increment(ref _fields);
}

/// <summary>A format reader that decodes text fields with a <see cref="Csv.TextFallback"/>; the ingest reports its count once per file.</summary>
public interface IReportsTextFallback
{
    /// <summary>The reader's fallback and its count.</summary>
    TextFallback TextFallback { get; }
}
