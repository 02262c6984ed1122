namespace Tem.Ingest.Formats;

/// <summary>The PBX call-record formats, read into the lake table <c>pbx_calls</c>.</summary>
public static class PbxFormats
{
    /// <summary>Cisco CUCM first (its header is unmistakable), then Asterisk cdr_csv and cdr_custom (recognised by their shapes).</summary>
    public static IReadOnlyList<IFormat> All { get; } = [new CucmFormat(), new AsteriskFormat(), new AsteriskCustomFormat()];
}
