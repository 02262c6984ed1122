using SkiaSharp;

namespace Tem.Reports.Charts;

/// <summary>
/// The font the charts are drawn in: DejaVu Sans on Linux (Debian package <c>fonts-dejavu-core</c>), Arial on
/// Windows, Helvetica on macOS, or the family <see cref="ReportOptions.ChartFont"/> names. ScottPlot reads fonts
/// from disk through Skia and draws no text at all when the family is missing, so the family is checked before
/// any chart is drawn and <see cref="ScottPlot.Fonts.Default"/> is set to it explicitly.
/// </summary>
internal static class ChartFont
{
    private static readonly Lock Gate = new();
    private static string? _current;

    /// <summary>The family of this platform when none is configured.</summary>
    public static string PlatformDefault =>
        OperatingSystem.IsWindows() ? "Arial" : OperatingSystem.IsMacOS() ? "Helvetica" : "DejaVu Sans";

    /// <summary>The family the charts use: the last one <see cref="Use"/> accepted, else the platform's (checked on first use).</summary>
    public static string Current
    {
        get
        {
            lock (Gate)
            {
                return _current ??= Check(PlatformDefault);
            }
        }
    }

    /// <summary>
    /// Checks that <paramref name="family"/> (null: the platform's) is installed and makes it the charts' font,
    /// ScottPlot's default included. Nothing changes when it is missing.
    /// </summary>
    /// <exception cref="ChartFontException">The family is not installed.</exception>
    public static void Use(string? family)
    {
        var checkedFamily = Check(string.IsNullOrWhiteSpace(family) ? PlatformDefault : family.Trim());
        lock (Gate)
        {
            _current = checkedFamily;
            ScottPlot.Fonts.Default = checkedFamily;
        }
    }

    /// <summary>Returns <paramref name="family"/> when Skia finds it installed, else throws.</summary>
    /// <exception cref="ChartFontException">The family is not installed.</exception>
    public static string Check(string family)
    {
        // MatchFamily answers null for a family it does not know (FromFamilyName would quietly fall back to another).
        using var match = SKFontManager.Default.MatchFamily(family);
        if (match is null || match.GlyphCount == 0)
        {
            throw new ChartFontException(
                $"no font for the charts: font family '{family}' is not installed; install fonts-dejavu-core (Debian/Ubuntu: apt-get install fonts-dejavu-core), "
                + "or on Windows and macOS a standard sans font (Arial, Helvetica)")
            { Family = family };
        }

        return family;
    }
}
