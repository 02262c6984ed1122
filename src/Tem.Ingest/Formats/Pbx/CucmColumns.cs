namespace Tem.Ingest.Formats;

/// <summary>
/// The columns of a Cisco Unified CM CDR flat file as releases 12.5 to 15 write them (133 columns, in file order),
/// with the type CUCM prints on the second header line. Transcribed from Cisco's "CDR field descriptions" (Call
/// Detail Records Administration Guide); older releases write a prefix of this list, newer ones may append columns.
/// The reader maps columns by the header's names, never by position: this list documents the format and builds
/// test files.
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

    private static (string, string)[] Parse(string lines) =>
    [
        .. lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 2))
            .Select(p => (p[0], p[1])),
    ];
}
