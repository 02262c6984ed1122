namespace Tem.Ingest.Formats;

/// <summary>
/// The columns of a Cisco Unified CM CDR flat file as releases 12.5 to 15 write them (133 columns, in file order),
/// with the type CUCM prints on the second header line. Transcribed from Cisco's "CDR field descriptions" (Call
/// Detail Records Administration Guide); older releases write fewer of these columns (see <see cref="Releases"/>),
/// newer ones may append columns. The reader maps columns by the header's names, never by position; a file whose
/// types line was stripped (names only) is read with the types of this list.
/// </summary>
public static class CucmColumns
{
    /// <summary>The CDR columns (name, type) in file order.</summary>
    public static IReadOnlyList<(string Name, string Type)> Cdr { get; } = Parse("""
        cdrRecordType INTEGER
        globalCallID_callManagerId INTEGER
        globalCallID_callId INTEGER
        origLegCallIdentifier INTEGER
        dateTimeOrigination INTEGER
        origNodeId INTEGER
        origSpan INTEGER
        origIpAddr INTEGER
        callingPartyNumber VARCHAR(50)
        callingPartyUnicodeLoginUserID VARCHAR(128)
        origCause_location INTEGER
        origCause_value INTEGER
        origPrecedenceLevel INTEGER
        origMediaTransportAddress_IP INTEGER
        origMediaTransportAddress_Port INTEGER
        origMediaCap_payloadCapability INTEGER
        origMediaCap_maxFramesPerPacket INTEGER
        origMediaCap_g723BitRate INTEGER
        origVideoCap_Codec INTEGER
        origVideoCap_Bandwidth INTEGER
        origVideoCap_Resolution INTEGER
        origVideoTransportAddress_IP INTEGER
        origVideoTransportAddress_Port INTEGER
        origRSVPAudioStat VARCHAR(64)
        origRSVPVideoStat VARCHAR(64)
        destLegIdentifier INTEGER
        destNodeId INTEGER
        destSpan INTEGER
        destIpAddr INTEGER
        originalCalledPartyNumber VARCHAR(50)
        finalCalledPartyNumber VARCHAR(50)
        finalCalledPartyUnicodeLoginUserID VARCHAR(128)
        destCause_location INTEGER
        destCause_value INTEGER
        destPrecedenceLevel INTEGER
        destMediaTransportAddress_IP INTEGER
        destMediaTransportAddress_Port INTEGER
        destMediaCap_payloadCapability INTEGER
        destMediaCap_maxFramesPerPacket INTEGER
        destMediaCap_g723BitRate INTEGER
        destVideoCap_Codec INTEGER
        destVideoCap_Bandwidth INTEGER
        destVideoCap_Resolution INTEGER
        destVideoTransportAddress_IP INTEGER
        destVideoTransportAddress_Port INTEGER
        destRSVPAudioStat VARCHAR(64)
        destRSVPVideoStat VARCHAR(64)
        dateTimeConnect INTEGER
        dateTimeDisconnect INTEGER
        lastRedirectDn VARCHAR(50)
        pkid UNIQUEIDENTIFIER
        originalCalledPartyNumberPartition VARCHAR(50)
        callingPartyNumberPartition VARCHAR(50)
        finalCalledPartyNumberPartition VARCHAR(50)
        lastRedirectDnPartition VARCHAR(50)
        duration INTEGER
        origDeviceName VARCHAR(129)
        destDeviceName VARCHAR(129)
        origCallTerminationOnBehalfOf INTEGER
        destCallTerminationOnBehalfOf INTEGER
        origCalledPartyRedirectOnBehalfOf INTEGER
        lastRedirectRedirectOnBehalfOf INTEGER
        origCalledPartyRedirectReason INTEGER
        lastRedirectRedirectReason INTEGER
        destConversationId INTEGER
        globalCallId_ClusterID VARCHAR(50)
        joinOnBehalfOf INTEGER
        comment VARCHAR(2048)
        authCodeDescription VARCHAR(50)
        authorizationLevel INTEGER
        clientMatterCode VARCHAR(32)
        origDTMFMethod INTEGER
        destDTMFMethod INTEGER
        callSecuredStatus INTEGER
        origConversationId INTEGER
        origMediaCap_Bandwidth INTEGER
        destMediaCap_Bandwidth INTEGER
        authorizationCodeValue VARCHAR(32)
        outpulsedCallingPartyNumber VARCHAR(50)
        outpulsedCalledPartyNumber VARCHAR(50)
        origIpv4v6Addr VARCHAR(64)
        destIpv4v6Addr VARCHAR(64)
        origVideoCap_Codec_Channel2 INTEGER
        origVideoCap_Bandwidth_Channel2 INTEGER
        origVideoCap_Resolution_Channel2 INTEGER
        origVideoTransportAddress_IP_Channel2 VARCHAR(64)
        origVideoTransportAddress_Port_Channel2 INTEGER
        origVideoChannel_Role_Channel2 INTEGER
        destVideoCap_Codec_Channel2 INTEGER
        destVideoCap_Bandwidth_Channel2 INTEGER
        destVideoCap_Resolution_Channel2 INTEGER
        destVideoTransportAddress_IP_Channel2 VARCHAR(64)
        destVideoTransportAddress_Port_Channel2 INTEGER
        destVideoChannel_Role_Channel2 INTEGER
        IncomingProtocolID INTEGER
        IncomingProtocolCallRef VARCHAR(32)
        OutgoingProtocolID INTEGER
        OutgoingProtocolCallRef VARCHAR(32)
        currentRoutingReason INTEGER
        origRoutingReason INTEGER
        lastRedirectingRoutingReason INTEGER
        huntPilotPartition VARCHAR(50)
        huntPilotDN VARCHAR(50)
        calledPartyPatternUsage INTEGER
        IncomingICID VARCHAR(50)
        IncomingOrigIOI VARCHAR(50)
        IncomingTermIOI VARCHAR(50)
        OutgoingICID VARCHAR(50)
        OutgoingOrigIOI VARCHAR(50)
        OutgoingTermIOI VARCHAR(50)
        outpulsedOriginalCalledPartyNumber VARCHAR(50)
        outpulsedLastRedirectingNumber VARCHAR(50)
        wasCallQueued INTEGER
        totalWaitTimeInQueue INTEGER
        callingPartyNumber_uri VARCHAR(254)
        originalCalledPartyNumber_uri VARCHAR(254)
        finalCalledPartyNumber_uri VARCHAR(254)
        lastRedirectDn_uri VARCHAR(254)
        mobileCallingPartyNumber VARCHAR(50)
        finalMobileCalledPartyNumber VARCHAR(50)
        origMobileDeviceName VARCHAR(129)
        destMobileDeviceName VARCHAR(129)
        origMobileCallDuration INTEGER
        destMobileCallDuration INTEGER
        mobileCallType INTEGER
        originalCalledPartyPattern VARCHAR(50)
        finalCalledPartyPattern VARCHAR(50)
        lastRedirectingPartyPattern VARCHAR(50)
        huntPilotPattern VARCHAR(50)
        origDeviceType VARCHAR(100)
        destDeviceType VARCHAR(100)
        origDeviceSessionID VARCHAR(128)
        destDeviceSessionID VARCHAR(128)
        """);

    /// <summary>The first columns of a CMR (call management record) file, enough to recognise and to test one.</summary>
    public static IReadOnlyList<(string Name, string Type)> CmrStart { get; } = Parse("""
        cdrRecordType INTEGER
        globalCallID_callManagerId INTEGER
        globalCallID_callId INTEGER
        nodeId INTEGER
        directoryNum VARCHAR(50)
        callIdentifier INTEGER
        dateTimeStamp INTEGER
        numberPacketsSent INTEGER
        numberOctetsSent INTEGER
        numberPacketsReceived INTEGER
        numberOctetsReceived INTEGER
        numberPacketsLost INTEGER
        jitter INTEGER
        latency INTEGER
        pkid UNIQUEIDENTIFIER
        directoryNumPartition VARCHAR(50)
        globalCallId_ClusterID VARCHAR(50)
        deviceName VARCHAR(129)
        varVQMetrics VARCHAR(600)
        """);

    /// <summary>
    /// The CDR columns each CUCM release added, oldest first: 6.x's 78 columns (cdrRecordType to
    /// authorizationCodeValue), then 7.1 (+16: outpulsed numbers, IPv6 addresses, second video channel), 8.0 (+9:
    /// protocol call references, routing reasons, hunt pilot), 8.5/8.6 (+1), 9.x (+6: queueing and URIs), 10.x
    /// (+15: IMS charging IDs, outpulsed redirect numbers, mobility), 11.x (+4: patterns) and 12.5 to 15 (+4: device
    /// types and session IDs), so 78, 94, 103, 104, 110, 125, 129 and 133 columns in all. From the per-release field
    /// lists of Cisco's "Call Detail Records Administration Guide" (CDR field descriptions, "new fields" by release).
    /// </summary>
    public static IReadOnlyList<(string Release, IReadOnlyList<string> Added)> Releases { get; } =
    [
        ("6.x", [.. Cdr.Take(78).Select(c => c.Name)]),
        ("7.1", [.. Cdr.Skip(78).Take(16).Select(c => c.Name)]),
        ("8.0", [.. Cdr.Skip(94).Take(9).Select(c => c.Name)]),
        ("8.5/8.6", ["calledPartyPatternUsage"]),
        ("9.x", ["wasCallQueued", "totalWaitTimeInQueue", "callingPartyNumber_uri", "originalCalledPartyNumber_uri", "finalCalledPartyNumber_uri", "lastRedirectDn_uri"]),
        ("10.x",
        [
            "IncomingICID", "IncomingOrigIOI", "IncomingTermIOI", "OutgoingICID", "OutgoingOrigIOI", "OutgoingTermIOI",
            "outpulsedOriginalCalledPartyNumber", "outpulsedLastRedirectingNumber", "mobileCallingPartyNumber", "finalMobileCalledPartyNumber",
            "origMobileDeviceName", "destMobileDeviceName", "origMobileCallDuration", "destMobileCallDuration", "mobileCallType",
        ]),
        ("11.x", ["originalCalledPartyPattern", "finalCalledPartyPattern", "lastRedirectingPartyPattern", "huntPilotPattern"]),
        ("12.5-15", ["origDeviceType", "destDeviceType", "origDeviceSessionID", "destDeviceSessionID"]),
    ];

    /// <summary>The columns of one release (e.g. <c>10.x</c>) in file order, with their types.</summary>
    public static IReadOnlyList<(string Name, string Type)> OfRelease(string release)
    {
        var index = Releases.ToList().FindIndex(r => r.Release == release);
        if (index < 0)
        {
            throw new ArgumentException($"Unknown CUCM release '{release}'; expected one of: {string.Join(", ", Releases.Select(r => r.Release))}.", nameof(release));
        }

        var names = new HashSet<string>(Releases.Take(index + 1).SelectMany(r => r.Added), StringComparer.OrdinalIgnoreCase);
        return [.. Cdr.Where(c => names.Contains(c.Name))];
    }

    /// <summary>
    /// The newest release whose columns a header holds (names, any order, any case), e.g. <c>11.x</c>: most of the
    /// 6.x columns, and all that each later release added up to it; null when it lacks most of the 6.x columns.
    /// </summary>
    public static string? Release(IEnumerable<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var names = new HashSet<string>(header.Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
        var (first, columns) = Releases[0];
        if (columns.Count(names.Contains) * 2 <= columns.Count)
        {
            return null;
        }

        var found = first;
        foreach (var (release, added) in Releases.Skip(1))
        {
            if (!added.All(names.Contains))
            {
                break;
            }

            found = release;
        }

        return found;
    }

    /// <summary>The type CUCM prints for a known CDR column (e.g. <c>INTEGER</c>), or null for a column Tem does not know.</summary>
    public static string? TypeOf(string name) => Types.TryGetValue(name, out var type) ? type : null;

    private static readonly Dictionary<string, string> Types =
        Cdr.ToDictionary(c => c.Name, c => c.Type, StringComparer.OrdinalIgnoreCase);

    private static (string, string)[] Parse(string lines) =>
    [
        .. lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 2))
            .Select(p => (p[0], p[1])),
    ];
}
