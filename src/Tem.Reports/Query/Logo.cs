using Tem.Lake;

namespace Tem.Reports.Query;

/// <summary>
/// A party's logo as a <c>data:</c> URI, so the report stays one self-contained file. The logo is shown through an
/// <c>img</c> element: a browser never runs scripts or fetches resources of an image document, so an SVG logo needs
/// no sanitising to be safe.
/// </summary>
internal static class Logo
{
    private const long MaxBytes = 1024 * 1024;

    /// <summary>
    /// Reads <c>logo_file</c>, relative to the parties.csv the lake's catalog lists as active. Null (and a warning)
    /// when the file is gone, too large or not PNG, JPEG or SVG.
    /// </summary>
    public static string? Load(TemLake lake, PartyInfo party, ICollection<string> warnings)
    {
        if (string.IsNullOrWhiteSpace(party.LogoFile))
        {
            return null;
        }

        var partiesFile = ActivePartiesFile(lake);
        if (partiesFile is null)
        {
            warnings.Add($"logo of {party.PartyId}: the lake's catalog lists no parties.csv to resolve '{party.LogoFile}' against; printed without a logo");
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(partiesFile)!, party.LogoFile));
        var mime = Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".PNG" => "image/png",
            ".SVG" => "image/svg+xml",
            ".JPG" or ".JPEG" => "image/jpeg",
            _ => null,
        };
        if (mime is null)
        {
            warnings.Add($"logo of {party.PartyId}: {path} is not a PNG, JPEG or SVG file; printed without a logo");
            return null;
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            warnings.Add($"logo of {party.PartyId}: {path} (logo_file '{party.LogoFile}' next to {partiesFile}) does not exist; printed without a logo");
            return null;
        }

        if (info.Length > MaxBytes)
        {
            warnings.Add($"logo of {party.PartyId}: {path} is {info.Length} bytes, more than the 1 MiB a logo may have; printed without a logo");
            return null;
        }

        return "data:" + mime + ";base64," + Convert.ToBase64String(File.ReadAllBytes(path));
    }

    private static string? ActivePartiesFile(TemLake lake) =>
        lake.ReadManifest().Sources.TryGetValue("parties", out var path) ? path : null;
}
