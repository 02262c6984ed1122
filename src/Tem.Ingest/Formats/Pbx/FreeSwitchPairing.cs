namespace Tem.Ingest.Formats;

/// <summary>
/// The legs of the calls in one FreeSWITCH file, grouped so that every leg of a call gets the same call_id: legs are
/// linked by <c>bleg_uuid</c> (the a-leg names its b-leg) and <c>originating_leg_uuid</c> (the b-leg names its a-leg;
/// <c>call_uuid</c> when that is missing). A group's call_id is its a-leg's uuid: the leg another names as its
/// originating leg, else the one that has a b-leg and is nobody's b-leg, else (two legs naming each other) the
/// smaller uuid, so that the choice does not depend on the order of the file.
/// </summary>
internal sealed class FreeSwitchPairing
{
    private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _originating = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hasBLeg = new(StringComparer.Ordinal);
    private readonly HashSet<string> _isBLeg = new(StringComparer.Ordinal);
    private Dictionary<string, string>? _callId;

    /// <summary>Adds a leg: its uuid, the b-leg it names and the a-leg it names (empty when none).</summary>
    public void Add(string uuid, string bLeg, string aLeg)
    {
        if (uuid.Length == 0)
        {
            return;
        }

        Find(uuid);
        if (bLeg.Length > 0 && bLeg != uuid)
        {
            _hasBLeg.Add(uuid);
            _isBLeg.Add(bLeg);
            Union(uuid, bLeg);
        }

        if (aLeg.Length > 0 && aLeg != uuid)
        {
            _originating.Add(aLeg);
            Union(uuid, aLeg);
        }
    }

    /// <summary>The call_id of a leg: its group's a-leg uuid (the leg's own uuid when it is alone); null for no uuid.</summary>
    public string? CallId(string uuid)
    {
        if (uuid.Length == 0)
        {
            return null;
        }

        _callId ??= Build();
        return _callId.TryGetValue(Find(uuid), out var id) ? id : uuid;
    }

    private Dictionary<string, string> Build()
    {
        var best = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var leg in _parent.Keys.ToList())
        {
            var root = Find(leg);
            if (!best.TryGetValue(root, out var current) || Better(leg, current))
            {
                best[root] = leg;
            }
        }

        return best;
    }

    private bool Better(string leg, string than)
    {
        var (a, b) = (Rank(leg), Rank(than));
        return a != b ? a < b : string.CompareOrdinal(leg, than) < 0;
    }

    private int Rank(string leg) =>
        _originating.Contains(leg) ? 0 : _hasBLeg.Contains(leg) && !_isBLeg.Contains(leg) ? 1 : 2;

    private string Find(string uuid)
    {
        if (!_parent.TryGetValue(uuid, out var parent))
        {
            _parent[uuid] = uuid;
            return uuid;
        }

        while (parent != uuid)
        {
            var grand = _parent[parent];
            _parent[uuid] = grand;
            uuid = parent;
            parent = grand;
        }

        return uuid;
    }

    private void Union(string a, string b)
    {
        var (ra, rb) = (Find(a), Find(b));
        if (ra != rb)
        {
            _parent[rb] = ra;
        }
    }
}
