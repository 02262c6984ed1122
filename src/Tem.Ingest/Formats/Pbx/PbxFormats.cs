namespace Tem.Ingest.Formats;

/// <summary>The PBX call-record formats, read into the lake table <c>pbx_calls</c>.</summary>
public static class PbxFormats
{
    /// <summary>
    /// Cisco CUCM first (its header is unmistakable); FreeSWITCH before Asterisk, because FreeSWITCH's own "asterisk"
    /// cdr_csv template has Asterisk's shape: the FreeSWITCH sniffs claim a line only with a FreeSWITCH hangup cause
    /// name and a uuid (Asterisk writes ANSWERED, NO ANSWER... and never such names), or JSON documents. Then Asterisk
    /// cdr_csv and cdr_custom (recognised by their shapes).
    /// </summary>
    public static IReadOnlyList<IFormat> All { get; } =
    [
        new CucmFormat(),
        new FreeSwitchCsvFormat(),
        new FreeSwitchJsonFormat(),
        new AsteriskFormat(),
        new AsteriskCustomFormat(),
    ];
}
