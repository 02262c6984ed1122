namespace Tem.Core;

// Member names are the PascalCase of the wire names in the spec; WireNames maps them (VoiceLine <-> voice_line).
// Numeric values are never stored or exchanged, only the wire names.

/// <summary>The role of a party in the channel (parties.csv <c>kind</c>).</summary>
public enum PartyKind
{
    /// <summary><c>provider</c>: a carrier or other supplier of services.</summary>
    Provider,

    /// <summary><c>distributor</c>: sells through dealers.</summary>
    Distributor,

    /// <summary><c>dealer</c>: sells to customers.</summary>
    Dealer,

    /// <summary><c>customer</c>: the business the services are for.</summary>
    Customer,

    /// <summary><c>lessor</c>: finances the services and may be the party invoiced.</summary>
    Lessor,
}

/// <summary>The kind of a service in the inventory (services.csv <c>service_type</c>).</summary>
public enum ServiceType
{
    /// <summary><c>mobile</c>: a mobile line.</summary>
    Mobile,

    /// <summary><c>voice_line</c>: a fixed voice line.</summary>
    VoiceLine,

    /// <summary><c>sip_trunk</c>: a SIP trunk.</summary>
    SipTrunk,

    /// <summary><c>circuit</c>: a data circuit.</summary>
    Circuit,

    /// <summary><c>internet</c>: an internet access service.</summary>
    Internet,
}

/// <summary>The state of a service in the inventory (services.csv <c>status</c>).</summary>
public enum ServiceStatus
{
    /// <summary><c>active</c>: in service.</summary>
    Active,

    /// <summary><c>suspended</c>: temporarily out of service.</summary>
    Suspended,

    /// <summary><c>disconnected</c>: ended on its <c>disconnected_on</c> date.</summary>
    Disconnected,
}

/// <summary>The kind of an invoice line (invoices.csv <c>charge_type</c>).</summary>
public enum ChargeType
{
    /// <summary><c>recurring</c>: a monthly fee.</summary>
    Recurring,

    /// <summary><c>usage</c>: calls, SMS or data.</summary>
    Usage,

    /// <summary><c>one_time</c>: a one-off charge such as installation.</summary>
    OneTime,

    /// <summary><c>tax</c>: a tax.</summary>
    Tax,

    /// <summary><c>surcharge</c>: a regulatory or carrier surcharge.</summary>
    Surcharge,

    /// <summary><c>credit</c>: a credit; its amount is negative.</summary>
    Credit,

    /// <summary><c>late_fee</c>: a late-payment fee.</summary>
    LateFee,

    /// <summary><c>adjustment</c>: any other correction.</summary>
    Adjustment,
}

/// <summary>The kind of a usage record (usage.csv <c>usage_type</c>).</summary>
public enum UsageType
{
    /// <summary><c>voice</c>: a call; duration in seconds.</summary>
    Voice,

    /// <summary><c>sms</c>: a text message.</summary>
    Sms,

    /// <summary><c>data</c>: a data session; volume in MB.</summary>
    Data,
}

/// <summary>
/// How a PBX call ended (lake table <c>pbx_calls</c> <c>disposition</c>), normalised from the PBX's own words
/// (Asterisk <c>ANSWERED</c>, <c>NO ANSWER</c>...; Cisco CUCM: the connect time and the Q.850 cause code).
/// </summary>
public enum CallDisposition
{
    /// <summary><c>answered</c>: the call was connected; its talk time is billable.</summary>
    Answered,

    /// <summary><c>no_answer</c>: it rang out or the caller hung up before an answer.</summary>
    NoAnswer,

    /// <summary><c>busy</c>: the called party was busy.</summary>
    Busy,

    /// <summary><c>failed</c>: the call could not be placed (unallocated number, channel error...).</summary>
    Failed,

    /// <summary><c>congestion</c>: no route or circuit was available.</summary>
    Congestion,
}

/// <summary>
/// The time band of a rate (rates.csv <c>time_band</c>). Peak is Monday to Friday, 08:00 &lt;= local time &lt; 18:00
/// in the account's time zone; offpeak is every other time.
/// </summary>
public enum TimeBand
{
    /// <summary><c>any</c>: applies at all times; a specific band beats it for the same prefix.</summary>
    Any,

    /// <summary><c>peak</c>: Monday to Friday, 08:00 to 18:00 local time.</summary>
    Peak,

    /// <summary><c>offpeak</c>: outside peak.</summary>
    Offpeak,
}

/// <summary>
/// How a rate deck rounds the cost of a call to its decimals (rates.csv <c>rounding</c>, a deck-level setting): the
/// modes of CGRateS's <c>RoundingMethod</c> (<c>*up</c>, <c>*middle</c>, <c>*down</c>). Costs are never negative, so
/// up and down are also away from and toward zero.
/// </summary>
public enum CostRounding
{
    /// <summary><c>middle</c>: to the nearest, a midpoint away from zero (the default, and Tem's rounding before decks could choose).</summary>
    Middle,

    /// <summary><c>up</c>: toward positive infinity (ceiling): 0.01231 gives 0.013 at 3 decimals.</summary>
    Up,

    /// <summary><c>down</c>: toward negative infinity (floor): 0.01239 gives 0.012 at 3 decimals.</summary>
    Down,
}

/// <summary>How urgent a finding is, most severe first.</summary>
public enum Severity
{
    /// <summary><c>high</c>.</summary>
    High,

    /// <summary><c>medium</c>.</summary>
    Medium,

    /// <summary><c>low</c>.</summary>
    Low,
}

/// <summary>What to do about a finding.</summary>
public enum RecommendedAction
{
    /// <summary><c>dispute</c>: claim the one-time amount back from the carrier.</summary>
    Dispute,

    /// <summary><c>cancel</c>: cancel the service.</summary>
    Cancel,

    /// <summary><c>downgrade</c>: move to the recommended plan.</summary>
    Downgrade,

    /// <summary><c>renegotiate</c>: renegotiate the price.</summary>
    Renegotiate,

    /// <summary><c>investigate</c>: a person must look.</summary>
    Investigate,
}

/// <summary>
/// Where a finding is in its lifecycle; every status but <c>resolved</c> is set by a person or by the bills (a credit
/// matched, a cancellation confirmed) and survives later runs. A dispute goes open -&gt; submitted -&gt; partially_credited /
/// credited / rejected -&gt; closed; a saving (cancel, downgrade) goes open -&gt; submitted -&gt; confirmed.
/// </summary>
public enum FindingStatus
{
    /// <summary><c>open</c>: found, not acted on.</summary>
    Open,

    /// <summary><c>submitted</c>: claimed from the carrier (or the change ordered), with a date, a reference and the amount claimed. Read from the older wire name <c>disputed</c> too.</summary>
    Submitted,

    /// <summary><c>partially_credited</c>: credits received so far are less than the amount claimed.</summary>
    PartiallyCredited,

    /// <summary><c>credited</c>: the amount claimed came back. Read from the older wire name <c>recovered</c> too.</summary>
    Credited,

    /// <summary><c>confirmed</c>: a saving shows in the bills (the cancelled service's recurring charge stopped, the downgraded one's fell).</summary>
    Confirmed,

    /// <summary><c>rejected</c>: the carrier refused the claim.</summary>
    Rejected,

    /// <summary><c>closed</c>: closed by a person; what was credited or confirmed until then stays realised.</summary>
    Closed,

    /// <summary><c>resolved</c>: the cause disappeared in a later run before anyone acted on it (the finding is kept, not deleted).</summary>
    Resolved,
}

/// <summary>
/// Which kind of money a finding is (its rule's <c>money</c>): only validated money is counted as found and may fund
/// a proposal.
/// </summary>
public enum MoneyKind
{
    /// <summary><c>validated</c>: a deterministic rule whose action is dispute, cancel, downgrade or renegotiate: money the evidence proves.</summary>
    Validated,

    /// <summary><c>potential</c>: a person must look first (action investigate: the models, unknown services); shown, never counted as found.</summary>
    Potential,

    /// <summary><c>reseller</c>: revenue a reseller leaks towards its own customers (unbilled resale, resale below cost): the reseller's money, never the client's saving.</summary>
    Reseller,
}

/// <summary>The role of a provider in an upgrade proposal (upgrade.csv <c>role</c>).</summary>
public enum ProviderRole
{
    /// <summary><c>var</c>: value-added reseller.</summary>
    Var,

    /// <summary><c>integrator</c>: systems integrator.</summary>
    Integrator,

    /// <summary><c>msp</c>: managed service provider.</summary>
    Msp,

    /// <summary><c>carrier</c>: the carrier itself.</summary>
    Carrier,

    /// <summary><c>tem</c>: the telecom expense management provider.</summary>
    Tem,

    /// <summary><c>agent</c>: an agent or matchmaker paid a fee for bringing the deal.</summary>
    Agent,
}

/// <summary>How a run of a command that changes the lake ended (the lake catalog's <c>runs.outcome</c>).</summary>
public enum RunOutcome
{
    /// <summary><c>ok</c>: everything ran and nothing failed.</summary>
    Ok,

    /// <summary><c>failed</c>: a file or a rule failed, or the run stopped on an error (its message says which).</summary>
    Failed,

    /// <summary><c>locked</c>: another writer held the lake, nothing ran (never stored: the lake is not touched).</summary>
    Locked,

    /// <summary><c>cancelled</c>: stopped before it finished (the host was shutting down).</summary>
    Cancelled,

    /// <summary><c>interrupted</c>: its process died; a later run closed it.</summary>
    Interrupted,
}

/// <summary>
/// What a step in a finding's dispute history did (the catalog's and <c>findings/dispute_events.parquet</c>'s
/// <c>event</c>): each lifecycle step records one.
/// </summary>
public enum DisputeEventKind
{
    /// <summary><c>submitted</c>: the claim (or the change order of a saving) was sent to the carrier.</summary>
    Submitted,

    /// <summary><c>credit</c>: a credit was received against the claim.</summary>
    Credit,

    /// <summary><c>rejected</c>: the carrier refused the claim.</summary>
    Rejected,

    /// <summary><c>closed</c>: a person closed the finding.</summary>
    Closed,

    /// <summary><c>reopened</c>: a person opened the finding again.</summary>
    Reopened,

    /// <summary><c>confirmed</c>: the bills show the saving.</summary>
    Confirmed,

    /// <summary><c>carried_over</c>: what was recorded against a saving's older per-period id moved to its per-service id.</summary>
    CarriedOver,
}

/// <summary>Who recorded a dispute event (<c>dispute_events.source</c>).</summary>
public enum DisputeSource
{
    /// <summary><c>user</c>: a person, through a command (<c>tem disputes</c>, <c>tem findings set-status</c>).</summary>
    User,

    /// <summary><c>bills</c>: a run matched it on the bills (a credit line, a saving confirmed).</summary>
    Bills,

    /// <summary><c>log</c>: an imported dispute log.</summary>
    Log,

    /// <summary><c>audit</c>: the audit itself (a saving's state carried over to its new id).</summary>
    Audit,
}
