namespace Tem.Ingest.Formats;

/// <summary>
/// Recognises files that are not text by their first bytes (magic numbers), so that a compressed or binary file is
/// named for what it is instead of failing row by row as "not valid UTF-8".
/// </summary>
public static class BinaryFiles
{
    private static readonly (byte[] Magic, string What)[] Known =
    [
        ([0x1F, 0x8B], "this is a gzip file; decompress it (gunzip) and ingest the file inside"),
        ([0x50, 0x4B, 0x03, 0x04], "this is a zip archive or an Excel .xlsx workbook; unzip it, or save the sheet as CSV (UTF-8), and ingest that"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "this is an Excel 97-2003 (.xls) workbook; save the sheet as CSV (UTF-8) and ingest that"),
        ([0x28, 0xB5, 0x2F, 0xFD], "this is a zstd-compressed file; decompress it (unzstd) and ingest the file inside"),
        ([0x42, 0x5A, 0x68], "this is a bzip2 file; decompress it (bunzip2) and ingest the file inside"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "this is an xz file; decompress it (unxz) and ingest the file inside"),
        ([0x25, 0x50, 0x44, 0x46, 0x2D], "this is a PDF; Tem reads carrier data files (CSV, EDI 811, PBX CDRs), so ask the carrier for the bill's data file"),
        ([0x50, 0x41, 0x52, 0x31], "this is a Parquet file; Tem reads the carriers' own files, and Parquet belongs in the lake, not the inbox"),
        ([0xFF, 0xFE], "this is UTF-16 text; save it as UTF-8 and ingest that"),
        ([0xFE, 0xFF], "this is UTF-16 text; save it as UTF-8 and ingest that"),
    ];

    /// <summary>What the file is and what to do, when its first bytes say it is not a text file Tem reads; else null.</summary>
    public static string? Describe(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, what) in Known)
        {
            if (head.StartsWith(magic))
            {
                return what;
            }
        }

        return null;
    }
}
