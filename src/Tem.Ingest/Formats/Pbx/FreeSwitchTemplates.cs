using System.Text.RegularExpressions;

namespace Tem.Ingest.Formats;

/// <summary>
/// FreeSWITCH <c>mod_cdr_csv</c> templates: the text a <c>&lt;template&gt;</c> of <c>cdr_csv.conf.xml</c> holds, one
/// <c>"${variable}"</c> per column. The built-in ones are FreeSWITCH's own: <c>default</c> (compiled into
/// mod_cdr_csv.c, 13 columns, used when no default-template is set) and <c>example</c> (the vanilla configuration's
/// default-template, 15 columns: default plus read_codec and write_codec), and the vanilla file's <c>snom</c>,
/// <c>linksys</c> and <c>asterisk</c> templates (conf/vanilla/autoload_configs/cdr_csv.conf.xml).
/// </summary>
public static partial class FreeSwitchTemplates
{
    /// <summary>mod_cdr_csv's compiled-in default template (note the space before the last field, as FreeSWITCH has it).</summary>
    public const string Default =
        "\"${caller_id_name}\",\"${caller_id_number}\",\"${destination_number}\",\"${context}\",\"${start_stamp}\",\"${answer_stamp}\"," +
        "\"${end_stamp}\",\"${duration}\",\"${billsec}\",\"${hangup_cause}\",\"${uuid}\",\"${bleg_uuid}\", \"${accountcode}\"";

    /// <summary>The vanilla configuration's <c>example</c> template, its default-template.</summary>
    public const string Example =
        "\"${caller_id_name}\",\"${caller_id_number}\",\"${destination_number}\",\"${context}\",\"${start_stamp}\",\"${answer_stamp}\"," +
        "\"${end_stamp}\",\"${duration}\",\"${billsec}\",\"${hangup_cause}\",\"${uuid}\",\"${bleg_uuid}\",\"${accountcode}\",\"${read_codec}\",\"${write_codec}\"";

    /// <summary>FreeSWITCH's own templates by name.</summary>
    public static IReadOnlyDictionary<string, string> Named { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["default"] = Default,
        ["example"] = Example,
        ["snom"] = Example + ",\"${sip_user_agent}\",\"${call_clientcode}\",\"${sip_rtp_rxstat}\",\"${sip_rtp_txstat}\",\"${sofia_record_file}\"",
        ["linksys"] = Example + ",\"${sip_user_agent}\",\"${sip_p_rtp_stat}\"",
        ["asterisk"] =
            "\"${accountcode}\",\"${caller_id_number}\",\"${destination_number}\",\"${context}\",\"${caller_id}\",\"${channel_name}\",\"${bridge_channel}\"," +
            "\"${last_app}\",\"${last_arg}\",\"${start_stamp}\",\"${answer_stamp}\",\"${end_stamp}\",\"${duration}\",\"${billsec}\",\"${hangup_cause}\"," +
            "\"${amaflags}\",\"${uuid}\",\"${userfield}\"",
    };

    /// <summary>
    /// The variable of each column of a template (null for a column that is not a plain <c>${variable}</c>, such as
    /// <c>${regex(...)}</c>: it is kept in the file's shape but not read). A template is split at the commas outside
    /// quotes and <c>${...}</c>; XML entities (<c>&amp;quot;</c>) are decoded, as the conf file may hold them.
    /// </summary>
    public static IReadOnlyList<string?> Variables(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var text = System.Net.WebUtility.HtmlDecode(template).Trim().TrimEnd(';').Trim();
        var columns = new List<string?>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0 && !quoted))
            {
                var piece = text[start..i].Trim();
                if (piece.Length >= 2 && piece[0] == '"' && piece[^1] == '"')
                {
                    piece = piece[1..^1];
                }

                var match = PlainVariable().Match(piece);
                columns.Add(match.Success ? match.Groups[1].Value.ToLowerInvariant() : null);
                start = i + 1;
                continue;
            }

            switch (text[i])
            {
                case '"' when depth == 0:
                    quoted = !quoted;
                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        return columns;
    }

    /// <summary>
    /// The template a PBX settings value declares: a template's text (it holds <c>${</c>) or a built-in name. Null with
    /// <paramref name="problem"/> when it is neither, or names no column Tem can read a call from.
    /// </summary>
    public static IReadOnlyList<string?>? Declared(string value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        problem = null;
        string text;
        if (value.Contains("${", StringComparison.Ordinal))
        {
            text = value;
        }
        else if (!Named.TryGetValue(value.Trim(), out text!))
        {
            problem = $"\"freeswitch_template\" '{value}' is neither a template (\"${{caller_id_name}}\",\"${{caller_id_number}}\",...) " +
                      $"nor one of FreeSWITCH's own: {string.Join(", ", Named.Keys)}";
            return null;
        }

        var columns = Variables(text);
        if (!columns.Any(c => c is "start_stamp" or "start_epoch" or "start_uepoch"))
        {
            problem = "the declared \"freeswitch_template\" has no ${start_stamp} (or ${start_epoch}) column; Tem needs each call's start";
            return null;
        }

        if (!columns.Any(c => c is "duration" or "end_stamp" or "end_epoch" or "end_uepoch"))
        {
            problem = "the declared \"freeswitch_template\" has neither ${duration} nor ${end_stamp}; Tem needs each call's length";
            return null;
        }

        return columns;
    }

    [GeneratedRegex(@"^\$\{([A-Za-z0-9_]+)\}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainVariable();
}
