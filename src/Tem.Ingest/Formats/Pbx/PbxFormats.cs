namespace Tem.Ingest.Formats;

/// <summary>The PBX call-record formats, read into the lake table <c>pbx_calls</c>.</summary>
public static class PbxFormats
{
    /// <summary>Cisco CUCM first (its header is unmistakable), then Asterisk (recognised by its shape).</summary>
    public static IReadOnlyList<IFormat> All { get; } = [new CucmFormat(), new AsteriskFormat()];
}
