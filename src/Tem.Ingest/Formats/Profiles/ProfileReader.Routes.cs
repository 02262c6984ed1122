using System.Globalization;
using System.Text.RegularExpressions;
using Tem.Core;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats.Profiles;

// Routing: which of the profile's routes takes a row (the conditions' columns are found in the header by Start),
// and the reject of a row that no route takes or that a route rejects.
public sealed partial class ProfileReader
{
    /// <summary>
    /// The first route whose conditions the row passes, or -1. A pattern that runs past its timeout on a value cannot
    /// say which route the row takes: the row is rejected (<paramref name="timeout"/>) rather than sent to a later route.
    /// </summary>
    private int Route(Row row, out RowReject? timeout)
    {
        timeout = null;
        var routes = _profile.Routes;
        for (var r = 0; r < routes.Count; r++)
        {
            var when = routes[r].When;
            var passes = true;
            for (var c = 0; c < when.Count && passes; c++)
            {
                var column = _conditionColumns[r][c];
                try
                {
                    passes = Passes(when[c], row.Fields[column].Trim());
                }
                catch (RegexMatchTimeoutException e)
                {
                    timeout = new RowReject(column + 1, _header[column], RejectReason.Other,
                        $"'{Cut(e.Input)}' took longer than {e.MatchTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s to test against the " +
                        $"pattern of route {routes[r].Path} ({when[c]}); expected a pattern that settles quickly (hint: simplify it)");
                    return -1;
                }
            }

            if (passes)
            {
                return r;
            }
        }

        return -1;
    }

    private bool Passes(RouteCondition condition, string value) =>
        condition.OneOf is { } values ? values.Contains(value, StringComparer.OrdinalIgnoreCase)
        : condition.Pattern is { } pattern ? pattern.IsMatch(value)
        : ProfileValues.TryParseNumber(value, _profile.NumberRule, out var number, out _) && number == condition.Number;

    private RowReject Unrouted(Row row)
    {
        var routes = _profile.Routes;
        var first = _conditionColumns[0][0];
        var others = _conditionColumns.SelectMany(c => c).Distinct().Where(c => c != first)
            .Select(c => $"{_header[c]} '{Cut(row.Fields[c].Trim())}'").ToList();
        return new RowReject(first + 1, _header[first], RejectReason.BadEnum,
            $"'{Cut(row.Fields[first].Trim())}'{(others.Count > 0 ? $" (with {string.Join(", ", others)})" : string.Empty)} matches none of the routes " +
            $"of profile '{_profile.Name}'; expected {string.Join(" or ", routes.Select(r => r.When.Count > 1 ? $"({string.Join(" and ", r.When)})" : string.Join(" and ", r.When)))} " +
            "(hint: add a route for it, or an \"otherwise\" route)");
    }

    private RowReject RouteReject(Row row, int route)
    {
        var r = _profile.Routes[route];
        var column = _rejectColumns[route];
        var condition = r.Otherwise ? "otherwise" : string.Join(" and ", r.When);
        return column < 0
            ? new RowReject(0, null, RejectReason.Other, $"rejected by the profile's route {r.Path} ({condition}): {r.Reject}")
            : new RowReject(column + 1, _header[column], RejectReason.Other,
                $"'{Cut(row.Fields[column].Trim())}' is rejected by the profile's route {r.Path} ({condition}): {r.Reject}");
    }
}
