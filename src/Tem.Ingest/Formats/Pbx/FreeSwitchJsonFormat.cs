using System.Globalization;
using System.Text;
using System.Text.Json;
using Tem.Core;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats;

/// <summary>
/// FreeSWITCH <c>mod_json_cdr</c> records: one JSON document per leg (<c>{"core-uuid":..., "channel_data":{...},
/// "variables":{...}, "callflow":...}</c>, as switch_ivr_generate_json_cdr builds it), one per file
/// (<c>&lt;uuid&gt;.cdr.json</c>, <c>a_&lt;uuid&gt;.cdr.json</c>) or several per file (concatenated or one per line,
/// NDJSON, or a JSON array of them). The call is read from <c>variables</c>, whose values FreeSWITCH URL-encodes by
/// default (encode-values): uuid, bleg_uuid / originating_leg_uuid (legs of one call get one call_id),
/// caller_id_number, destination_number, start/answer/end_epoch (UTC), duration, billsec, billmsec (kept as
/// billed_ms), hangup_cause, hangup_cause_q850. Recognised by a JSON object with <c>variables</c> and
/// <c>channel_data</c>, <c>core-uuid</c> or <c>callflow</c>.
/// </summary>
public sealed class FreeSwitchJsonFormat : IFormat
{
    /// <inheritdoc/>
    public string Name => "freeswitch-json";

    /// <inheritdoc/>
    public string Description => "FreeSWITCH mod_json_cdr (one JSON document per leg; per file, NDJSON or an array; UTC epoch times)";

    /// <inheritdoc/>
    public FormatMatch Sniff(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        var span = head.Bytes.Span.TrimStart(" \t\r\n"u8);
        if (span.IsEmpty || (span[0] != (byte)'{' && span[0] != (byte)'['))
        {
            return FormatMatch.No;
        }

        return span.IndexOf("\"variables\""u8) >= 0 &&
               (span.IndexOf("\"channel_data\""u8) >= 0 || span.IndexOf("\"core-uuid\""u8) >= 0 || span.IndexOf("\"callflow\""u8) >= 0)
            ? FormatMatch.Yes
            : FormatMatch.No;
    }

    /// <inheritdoc/>
    public IFormatReader Open(string path, IngestOptions options) => new FreeSwitchJsonReader(path, options);
}

/// <summary>Reads FreeSWITCH JSON CDRs into pbx_calls (see <see cref="FreeSwitchJsonFormat"/>).</summary>
internal sealed class FreeSwitchJsonReader : PbxReader
{
    /// <summary>How much of a rejected document is kept as its raw text.</summary>
    private const int RawLimit = 16 * 1024;

    private readonly byte[] _bytes;
    private readonly List<(long Line, int Start, int Length)> _documents = [];
    private readonly FreeSwitchPairing _pairing = new();
    private readonly TimeZoneInfo? _zone;
    private readonly FileProblem? _early;
    private int _next;
    private (int Start, int Length) _current;

    public FreeSwitchJsonReader(string path, IngestOptions options)
        : base(path, options, "freeswitch-json")
    {
        _zone = Zone(out var badZone);
        if ((SettingsProblem ?? badZone) is { } problem)
        {
            _early = new FileProblem(0, 0, problem);
        }

        // The whole file is read into memory: System.Text.Json parses a document from contiguous bytes, and a CDR file
        // is one call (per-call files) or a day's worth of them.
        using (var stream = FormatInput.Open(path, options))
        using (var memory = new MemoryStream())
        {
            stream.CopyTo(memory);
            _bytes = memory.ToArray();
        }

        var start = _bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        try
        {
            Split(start);
        }
        catch (JsonException e)
        {
            // A document that does not parse ends the file: what follows it cannot be told apart.
            Problem = new FileProblem((e.LineNumber ?? 0) + 1, 0,
                string.Create(CultureInfo.InvariantCulture,
                    $"is not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1} of it ({e.Message.Split(" Path:")[0].TrimEnd('.')}); ") +
                "expected mod_json_cdr documents: one JSON object per leg, several concatenated or one per line, or a JSON array of them");
        }

        Problem = _early ?? Problem;
    }

    /// <inheritdoc/>
    protected override bool Next(out long line, out string raw)
    {
        (line, raw) = (0, string.Empty);
        if (_next >= _documents.Count)
        {
            return false;
        }

        (line, var start, var length) = _documents[_next++];
        _current = (start, length);
        raw = Encoding.UTF8.GetString(_bytes, start, Math.Min(length, RawLimit));
        raw = length > RawLimit ? raw + "…" : raw;
        return true;
    }

    /// <summary>A variable's text: a string (URL-decoded when FreeSWITCH encoded it) or a number's text; null when absent.</summary>
    private static string? Variable(JsonElement variables, string name)
    {
        if (!variables.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? string.Empty,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => string.Empty,
        };
        return (text.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(text) : text).Trim();
    }

    /// <summary>Finds the documents (their first line and bytes) and links the legs of each call.</summary>
    private void Split(int offset)
    {
        var reader = new Utf8JsonReader(_bytes.AsSpan(offset), new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
        long line = 1;
        var counted = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.StartArray && reader.CurrentDepth == 0)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Add(ref reader);
                }

                continue;
            }

            Add(ref reader);
        }

        void Add(ref Utf8JsonReader reader)
        {
            var start = offset + (int)reader.TokenStartIndex;
            line += _bytes.AsSpan(counted, start - counted).Count((byte)'\n');
            counted = start;
            using var document = JsonDocument.ParseValue(ref reader);
            var end = offset + (int)reader.BytesConsumed;
            _documents.Add((line, start, end - start));
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("variables", out var variables) && variables.ValueKind == JsonValueKind.Object)
            {
                var uuid = Variable(variables, "uuid") ?? string.Empty;
                var call = Variable(variables, "call_uuid") ?? string.Empty;
                var aLeg = Variable(variables, "originating_leg_uuid") is { Length: > 0 } origin ? origin : call != uuid ? call : string.Empty;
                _pairing.Add(uuid, Variable(variables, "bleg_uuid") ?? string.Empty, aLeg);
            }
        }
    }

    /// <inheritdoc/>
    protected override RowReject? Translate()
    {
        using var document = JsonDocument.Parse(_bytes.AsMemory(_current.Start, _current.Length));
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new RowReject(0, null, RejectReason.BadFile,
                $"this JSON value is a {root.ValueKind.ToString().ToLowerInvariant()}, not a mod_json_cdr document; expected an object with \"variables\"");
        }

        if (!root.TryGetProperty("variables", out var variables) || variables.ValueKind != JsonValueKind.Object)
        {
            return new RowReject(0, "variables", RejectReason.Required,
                "is missing or not an object; a mod_json_cdr document holds the leg's channel variables there ({\"variables\": {\"uuid\": ..., \"start_epoch\": ...}})");
        }

        var pbx = Settings.Name ?? (root.TryGetProperty("switchname", out var sw) && sw.ValueKind == JsonValueKind.String && sw.GetString() is { Length: > 0 } name
            ? name
            : "freeswitch");
        var leg = new FreeSwitchLeg(Format, pbx, _zone, _pairing)
        {
            Get = v => Variable(variables, v),
            Column = _ => 0,
            Label = v => "variables." + v,
        };
        var reject = leg.Translate(Values);
        if (reject is null)
        {
            PbxRecords.Fill(Record, Values);
        }

        return reject;
    }
}
