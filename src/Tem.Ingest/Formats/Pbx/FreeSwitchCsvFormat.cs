using System.Globalization;
using Tem.Core;
using Tem.Ingest.Csv;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats;

/// <summary>
/// FreeSWITCH <c>mod_cdr_csv</c> files (<c>Master.csv</c>, or one per account code): no header, one leg per line as
/// the PBX's template lays it out (see <see cref="FreeSwitchTemplates"/>): the compiled-in <c>default</c> (13 columns),
/// the vanilla configuration's <c>example</c> (15), or the template declared as <c>"freeswitch_template"</c> in
/// <c>tem-pbx.json</c>. Times are the PBX's local time, also as a spreadsheet re-saves them. Recognised by the shape of
/// the first line: a template's column count, a local time in its start_stamp column and, where the template has them,
/// a FreeSWITCH hangup cause name (NORMAL_CLEARING...; Asterisk writes ANSWERED, NO ANSWER...) and a uuid.
/// </summary>
public sealed class FreeSwitchCsvFormat : IFormat
{
    /// <inheritdoc/>
    public string Name => "freeswitch-csv";

    /// <inheritdoc/>
    public string Description => "FreeSWITCH mod_cdr_csv (default or example template, or the one declared in tem-pbx.json; local times)";

    /// <inheritdoc/>
    public FormatMatch Sniff(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(options);
        var settings = PbxSettings.For(head.Path, options);
        using var csv = new CsvRecordReader(new MemoryStream(head.Bytes.ToArray()), (byte)',', 64 * 1024);
        if (!csv.Read() || csv.Problem != RecordProblem.None)
        {
            return FormatMatch.No;
        }

        if (settings.FreeSwitchTemplate is { } declared)
        {
            return FreeSwitchTemplates.Declared(declared, out _) is { } columns && Fits(csv, columns, strict: false) ? FormatMatch.Yes : FormatMatch.No;
        }

        return Candidates().Any(t => Fits(csv, t, strict: true)) ? FormatMatch.Yes : FormatMatch.No;
    }

    /// <inheritdoc/>
    public IFormatReader Open(string path, IngestOptions options) => new FreeSwitchCsvReader(path, options);

    /// <summary>FreeSWITCH's own templates, tried in turn when none is declared.</summary>
    internal static IEnumerable<IReadOnlyList<string?>> Candidates() => FreeSwitchTemplates.Named.Values.Select(FreeSwitchTemplates.Variables);

    /// <summary>
    /// Whether a record has a template's shape: as many fields, a local time where start_stamp is and, when
    /// <paramref name="strict"/> (no declared template), a hangup cause name and a uuid where the template has them.
    /// </summary>
    internal static bool Fits(CsvRecordReader csv, IReadOnlyList<string?> template, bool strict)
    {
        if (csv.FieldCount != template.Count)
        {
            return false;
        }

        string Field(string variable) => FreeSwitchCsvReader.Unquote(PbxRecords.Text(csv, IndexOf(template, variable)));

        var start = IndexOf(template, "start_stamp");
        if (start >= 0 && !FreeSwitchLeg.TryParseLocal(Field("start_stamp"), out _, out _))
        {
            return false;
        }

        if (!strict)
        {
            return start >= 0 || template.Contains("start_epoch");
        }

        return start >= 0 && IndexOf(template, "hangup_cause") >= 0 && FreeSwitchCauses.Codes.ContainsKey(Field("hangup_cause")) &&
               (IndexOf(template, "uuid") < 0 || Guid.TryParse(Field("uuid"), out _));
    }

    internal static int IndexOf(IReadOnlyList<string?> template, string variable)
    {
        for (var i = 0; i < template.Count; i++)
        {
            if (template[i] == variable)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>Reads a FreeSWITCH mod_cdr_csv file into pbx_calls (see <see cref="FreeSwitchCsvFormat"/>).</summary>
internal sealed class FreeSwitchCsvReader : PbxCsvReader
{
    // The template variables Tem computes on: a byte that is not UTF-8 in one of them rejects the leg (bad_encoding,
    // naming it); in any other (caller names, contexts...) it is decoded with the fallback encoding.
    private static readonly string[] Computed =
    [
        "uuid", "bleg_uuid", "originating_leg_uuid", "start_stamp", "answer_stamp", "end_stamp", "start_epoch", "answer_epoch",
        "end_epoch", "start_uepoch", "answer_uepoch", "end_uepoch", "duration", "billsec", "billmsec", "hangup_cause", "hangup_cause_q850",
    ];

    private readonly IReadOnlyList<string?> _template = [];
    private readonly FreeSwitchLeg? _leg;

    public FreeSwitchCsvReader(string path, IngestOptions options)
        : base(path, options, "freeswitch-csv")
    {
        var zone = Zone(out var badZone);
        var problem = SettingsProblem ?? badZone;
        if (Settings.FreeSwitchTemplate is { } declared)
        {
            string? bad = null;
            _template = FreeSwitchTemplates.Declared(declared, out bad) ?? [];
            problem ??= bad is null ? null : $"{bad} ({PbxSettings.FileName} next to the file)";
        }
        else
        {
            // The built-in template the first line fits (the sniff's choice).
            using var first = new CsvRecordReader(FormatInput.Open(path, options with { Meter = null }), (byte)',', 64 * 1024);
            if (first.Read() && first.Problem == RecordProblem.None)
            {
                _template = FreeSwitchCsvFormat.Candidates().FirstOrDefault(t => FreeSwitchCsvFormat.Fits(first, t, strict: true)) ?? [];
            }

            if (_template.Count == 0)
            {
                problem ??= "the first line is not a FreeSWITCH cdr_csv line of the default (13 columns) or example (15 columns) template; " +
                            $"declare the PBX's template as \"freeswitch_template\" in {PbxSettings.FileName} next to the file";
            }
        }

        if (problem is null && zone is null && _template.Any(v => v is not null && v.EndsWith("_stamp", StringComparison.Ordinal)))
        {
            problem = "FreeSWITCH's cdr_csv writes local times without a UTC offset, and no time zone is set for this PBX; " +
                      $"give the PBX's IANA zone with --pbx-time-zone (e.g. --pbx-time-zone Europe/Berlin) or \"time_zone\" in {PbxSettings.FileName} next to the file";
        }

        Problem = problem is null ? null : new FileProblem(0, 0, problem);
        var pairing = new FreeSwitchPairing();
        var uuid = FreeSwitchCsvFormat.IndexOf(_template, "uuid");
        if (Problem is null && uuid >= 0)
        {
            // The legs of a call are in the same file, in either order: a first pass links them (FreeSwitchPairing).
            var bLeg = FreeSwitchCsvFormat.IndexOf(_template, "bleg_uuid");
            var aLeg = FreeSwitchCsvFormat.IndexOf(_template, "originating_leg_uuid");
            using var pass = new CsvRecordReader(FormatInput.Open(path, options with { Meter = null }));
            while (pass.Read())
            {
                if (pass.Problem == RecordProblem.None && pass.FieldCount == _template.Count)
                {
                    pairing.Add(Unquote(PbxRecords.Text(pass, uuid)), bLeg < 0 ? string.Empty : Unquote(PbxRecords.Text(pass, bLeg)),
                        aLeg < 0 ? string.Empty : Unquote(PbxRecords.Text(pass, aLeg)));
                }
            }
        }

        ComputedOn = [.. Computed.Select(name => (FreeSwitchCsvFormat.IndexOf(_template, name), name)).Where(c => c.Item1 >= 0)];
        _leg = new FreeSwitchLeg(Format, Settings.Name ?? "freeswitch", zone, pairing)
        {
            Get = v => FreeSwitchCsvFormat.IndexOf(_template, v) is var i and >= 0 && i < Csv.FieldCount ? Unquote(PbxRecords.Text(Csv, i)) : null,
            Column = v => FreeSwitchCsvFormat.IndexOf(_template, v) + 1,
            Label = v => v,
        };
        var source = new int[PbxRecords.FieldCount];
        source[(int)PbxRecords.Field.RecordId] = source[(int)PbxRecords.Field.CallId] = FreeSwitchCsvFormat.IndexOf(_template, "uuid") + 1;
        source[(int)PbxRecords.Field.StartTime] = FreeSwitchCsvFormat.IndexOf(_template, "start_stamp") + 1;
        source[(int)PbxRecords.Field.AnswerTime] = FreeSwitchCsvFormat.IndexOf(_template, "answer_stamp") + 1;
        source[(int)PbxRecords.Field.EndTime] = FreeSwitchCsvFormat.IndexOf(_template, "end_stamp") + 1;
        source[(int)PbxRecords.Field.DurationS] = FreeSwitchCsvFormat.IndexOf(_template, "duration") + 1;
        source[(int)PbxRecords.Field.BillsecS] = FreeSwitchCsvFormat.IndexOf(_template, "billsec") + 1;
        source[(int)PbxRecords.Field.CallingNumber] = FreeSwitchCsvFormat.IndexOf(_template, "caller_id_number") + 1;
        source[(int)PbxRecords.Field.CalledNumber] = FreeSwitchCsvFormat.IndexOf(_template, "destination_number") + 1;
        source[(int)PbxRecords.Field.Disposition] = FreeSwitchCsvFormat.IndexOf(_template, "hangup_cause") + 1;
        source[(int)PbxRecords.Field.Context] = FreeSwitchCsvFormat.IndexOf(_template, "context") + 1;
        source[(int)PbxRecords.Field.AccountCode] = FreeSwitchCsvFormat.IndexOf(_template, "accountcode") + 1;
        source[(int)PbxRecords.Field.BilledMs] = FreeSwitchCsvFormat.IndexOf(_template, "billmsec") + 1;
        Record.SourceColumn = source;
    }

    /// <summary>
    /// A field without the quotes FreeSWITCH's default template leaves on its last column: it writes <c>, "${accountcode}"</c>
    /// with a space before the quote, which CSV reads as literal quotes.
    /// </summary>
    internal static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : text;

    /// <inheritdoc/>
    protected override RowReject? CountReject(int count) => count == _template.Count
        ? null
        : new RowReject(0, null, count < _template.Count ? RejectReason.ShortRow : RejectReason.LongRow,
            string.Create(CultureInfo.InvariantCulture,
                $"{count} fields, expected {_template.Count} as the template has ({string.Join(", ", _template.Select(v => v ?? "(expression)"))})"));

    /// <inheritdoc/>
    protected override RowReject? TranslateFields()
    {
        var reject = _leg!.Translate(Values);
        if (reject is null)
        {
            PbxRecords.Fill(Record, Values);
        }

        return reject;
    }
}
