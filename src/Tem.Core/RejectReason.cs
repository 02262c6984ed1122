namespace Tem.Core;

/// <summary>
/// Why an input row went to the rejects table. Stored by its wire name (<see cref="WireNames"/>), e.g. <c>bad_date</c>.
/// </summary>
public enum RejectReason
{
    /// <summary><c>missing_column</c>: a required column is absent from the header.</summary>
    MissingColumn,

    /// <summary><c>extra_columns</c>: the header has columns the layout does not know (reported, not fatal).</summary>
    ExtraColumns,

    /// <summary><c>short_row</c>: fewer fields than the header.</summary>
    ShortRow,

    /// <summary><c>long_row</c>: more fields than the header.</summary>
    LongRow,

    /// <summary><c>bad_date</c>: not a <c>YYYY-MM-DD</c> date (or <c>YYYY-MM</c> month).</summary>
    BadDate,

    /// <summary><c>bad_timestamp</c>: not an ISO 8601 timestamp with an offset or <c>Z</c>.</summary>
    BadTimestamp,

    /// <summary><c>bad_number</c>: not a number.</summary>
    BadNumber,

    /// <summary><c>bad_money</c>: not a decimal amount with <c>.</c>, or a bad currency code.</summary>
    BadMoney,

    /// <summary><c>bad_enum</c>: not one of the allowed values.</summary>
    BadEnum,

    /// <summary><c>bad_phone_number</c>: not a phone number.</summary>
    BadPhoneNumber,

    /// <summary><c>negative_value</c>: negative where only zero or more is allowed.</summary>
    NegativeValue,

    /// <summary><c>required</c>: a required field is empty.</summary>
    Required,

    /// <summary><c>too_long</c>: a field is longer than allowed.</summary>
    TooLong,

    /// <summary><c>bad_encoding</c>: not valid UTF-8.</summary>
    BadEncoding,

    /// <summary><c>duplicate_header</c>: a column name appears twice in the header.</summary>
    DuplicateHeader,

    /// <summary><c>unterminated_quote</c>: a quoted field is not closed.</summary>
    UnterminatedQuote,

    /// <summary><c>bad_quote</c>: text after a closing quote, before the next separator (<c>"ab"c,</c>).</summary>
    BadQuote,

    /// <summary>
    /// <c>nonexistent_time</c>: a local time without an offset (a PBX's) falls in the hour skipped when clocks go
    /// forward, so no instant has it.
    /// </summary>
    NonexistentTime,

    /// <summary>
    /// <c>ambiguous_time</c>: a local time without an offset falls in the hour repeated when clocks go back, and the
    /// record's other times (e.g. end minus duration) cannot tell which of the two instants it is.
    /// </summary>
    AmbiguousTime,

    /// <summary>
    /// <c>bad_file</c>: the file as a whole cannot be used (e.g. a PBX file whose time zone is unknown, an EDI
    /// interchange cut short); every row of it is rejected with the file's message.
    /// </summary>
    BadFile,

    /// <summary>A field holds a control character (a NUL byte, an escape...): binary data or a damaged file, never a value.</summary>
    ControlCharacter,

    /// <summary>
    /// <c>duplicate_version</c>: a parties or accounts row names the same party or account, from the same
    /// <c>valid_from</c>, as an earlier line of the file (the earlier line is kept).
    /// </summary>
    DuplicateVersion,

    /// <summary>
    /// <c>overlapping_version</c>: a dated parties or accounts row's <c>valid_to</c> runs past the next version's
    /// <c>valid_from</c> in the same file, so two versions would be in force at once.
    /// </summary>
    OverlappingVersion,

    /// <summary><c>empty_validity</c>: <c>valid_to</c> is not after <c>valid_from</c>, so the version is never in force.</summary>
    EmptyValidity,

    /// <summary><c>other</c>: none of the above; the reject's detail says what.</summary>
    Other,
}
