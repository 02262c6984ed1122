using Tem.Core;

namespace Tem.Ingest.Formats;

/// <summary>
/// FreeSWITCH hangup causes (switch_channel.c's cause chart, codes from switch_types.h) and the disposition of a leg.
/// </summary>
public static class FreeSwitchCauses
{
    /// <summary>Every hangup cause name FreeSWITCH writes, with its code (Q.850 up to 127; FreeSWITCH's own above).</summary>
    public static IReadOnlyDictionary<string, int> Codes { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["NONE"] = 0, ["UNALLOCATED_NUMBER"] = 1, ["NO_ROUTE_TRANSIT_NET"] = 2, ["NO_ROUTE_DESTINATION"] = 3, ["CHANNEL_UNACCEPTABLE"] = 6,
        ["CALL_AWARDED_DELIVERED"] = 7, ["NORMAL_CLEARING"] = 16, ["USER_BUSY"] = 17, ["NO_USER_RESPONSE"] = 18, ["NO_ANSWER"] = 19,
        ["SUBSCRIBER_ABSENT"] = 20, ["CALL_REJECTED"] = 21, ["NUMBER_CHANGED"] = 22, ["REDIRECTION_TO_NEW_DESTINATION"] = 23,
        ["EXCHANGE_ROUTING_ERROR"] = 25, ["DESTINATION_OUT_OF_ORDER"] = 27, ["INVALID_NUMBER_FORMAT"] = 28, ["FACILITY_REJECTED"] = 29,
        ["RESPONSE_TO_STATUS_ENQUIRY"] = 30, ["NORMAL_UNSPECIFIED"] = 31, ["NORMAL_CIRCUIT_CONGESTION"] = 34, ["NETWORK_OUT_OF_ORDER"] = 38,
        ["NORMAL_TEMPORARY_FAILURE"] = 41, ["SWITCH_CONGESTION"] = 42, ["ACCESS_INFO_DISCARDED"] = 43, ["REQUESTED_CHAN_UNAVAIL"] = 44,
        ["PRE_EMPTED"] = 45, ["FACILITY_NOT_SUBSCRIBED"] = 50, ["OUTGOING_CALL_BARRED"] = 52, ["INCOMING_CALL_BARRED"] = 54,
        ["BEARERCAPABILITY_NOTAUTH"] = 57, ["BEARERCAPABILITY_NOTAVAIL"] = 58, ["SERVICE_UNAVAILABLE"] = 63, ["BEARERCAPABILITY_NOTIMPL"] = 65,
        ["CHAN_NOT_IMPLEMENTED"] = 66, ["FACILITY_NOT_IMPLEMENTED"] = 69, ["SERVICE_NOT_IMPLEMENTED"] = 79, ["INVALID_CALL_REFERENCE"] = 81,
        ["INCOMPATIBLE_DESTINATION"] = 88, ["INVALID_MSG_UNSPECIFIED"] = 95, ["MANDATORY_IE_MISSING"] = 96, ["MESSAGE_TYPE_NONEXIST"] = 97,
        ["WRONG_MESSAGE"] = 98, ["IE_NONEXIST"] = 99, ["INVALID_IE_CONTENTS"] = 100, ["WRONG_CALL_STATE"] = 101, ["RECOVERY_ON_TIMER_EXPIRE"] = 102,
        ["MANDATORY_IE_LENGTH_ERROR"] = 103, ["PROTOCOL_ERROR"] = 111, ["INTERWORKING"] = 127, ["SUCCESS"] = 142, ["ORIGINATOR_CANCEL"] = 487,
        ["CRASH"] = 700, ["SYSTEM_SHUTDOWN"] = 701, ["LOSE_RACE"] = 702, ["MANAGER_REQUEST"] = 703, ["BLIND_TRANSFER"] = 800,
        ["ATTENDED_TRANSFER"] = 801, ["ALLOTTED_TIMEOUT"] = 802, ["USER_CHALLENGE"] = 803, ["MEDIA_TIMEOUT"] = 804, ["PICKED_OFF"] = 805,
        ["USER_NOT_REGISTERED"] = 806, ["PROGRESS_TIMEOUT"] = 807, ["INVALID_GATEWAY"] = 808, ["GATEWAY_DOWN"] = 809, ["INVALID_URL"] = 810,
        ["INVALID_PROFILE"] = 811, ["NO_PICKUP"] = 812, ["SRTP_READ_ERROR"] = 813, ["BOWOUT"] = 814, ["BUSY_EVERYWHERE"] = 815,
        ["DECLINE"] = 816, ["DOES_NOT_EXIST_ANYWHERE"] = 817, ["NOT_ACCEPTABLE"] = 818, ["UNWANTED"] = 819, ["NO_IDENTITY"] = 820,
        ["BAD_IDENTITY_INFO"] = 821, ["UNSUPPORTED_CERTIFICATE"] = 822, ["INVALID_IDENTITY"] = 823, ["STALE_DATE"] = 824, ["REJECT_ALL"] = 825,
    };

    /// <summary>
    /// A leg's disposition: answered when it was (an answer time, or billed seconds); otherwise from its hangup cause:
    /// USER_BUSY, BUSY_EVERYWHERE busy; the congestion causes of Q.850 (34, 38, 41, 42, 44, 47) congestion; a caller
    /// who gave up or nobody answering (NORMAL_CLEARING, NO_USER_RESPONSE, NO_ANSWER, NORMAL_UNSPECIFIED,
    /// ORIGINATOR_CANCEL, NO_PICKUP, PICKED_OFF, LOSE_RACE, PROGRESS_TIMEOUT, ALLOTTED_TIMEOUT, NONE) no_answer, as CUCM's
    /// causes map; anything else failed.
    /// </summary>
    public static CallDisposition Disposition(bool answered, string cause) => answered
        ? CallDisposition.Answered
        : cause.ToUpperInvariant() switch
        {
            "USER_BUSY" or "BUSY_EVERYWHERE" => CallDisposition.Busy,
            "NORMAL_CIRCUIT_CONGESTION" or "NETWORK_OUT_OF_ORDER" or "NORMAL_TEMPORARY_FAILURE" or "SWITCH_CONGESTION" or "REQUESTED_CHAN_UNAVAIL"
                => CallDisposition.Congestion,
            "NORMAL_CLEARING" or "NO_USER_RESPONSE" or "NO_ANSWER" or "NORMAL_UNSPECIFIED" or "ORIGINATOR_CANCEL" or "NO_PICKUP" or "PICKED_OFF"
                or "LOSE_RACE" or "PROGRESS_TIMEOUT" or "ALLOTTED_TIMEOUT" or "NONE" or "" => CallDisposition.NoAnswer,
            _ => CallDisposition.Failed,
        };
}
