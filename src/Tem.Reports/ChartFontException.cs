namespace Tem.Reports;

/// <summary>
/// The charts cannot be drawn: the font family they are drawn in is not installed. Without a font the chart library
/// would silently draw charts without text, so the report set is not written at all instead.
/// </summary>
public sealed class ChartFontException : Exception
{
    /// <summary>A chart font error with its message.</summary>
    public ChartFontException(string message)
        : base(message)
    {
    }

    /// <summary>A chart font error with its message and cause.</summary>
    public ChartFontException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>A chart font error without a message of its own.</summary>
    public ChartFontException()
    {
    }

    /// <summary>The font family that was asked for and not found.</summary>
    public string? Family { get; init; }
}
