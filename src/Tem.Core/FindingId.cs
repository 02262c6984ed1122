using System.Security.Cryptography;
using System.Text;

namespace Tem.Core;

/// <summary>Deterministic finding ids: the same input gives the same id on every run, machine and version.</summary>
public static class FindingId
{
    private const char Separator = '\u001f';

    /// <summary>
    /// Creates the id of a finding. Recipe: the five fields <paramref name="rule"/>, <paramref name="accountId"/>,
    /// <paramref name="serviceId"/> (empty when null), <paramref name="period"/> as <c>YYYY-MM</c> and
    /// <paramref name="discriminator"/> (empty when null), joined with U+001F (unit separator), encoded as UTF-8,
    /// hashed with SHA-256; the id is the first 16 bytes of the hash as 32 lower-case hex digits.
    /// In SQL: <c>left(sha256(concat_ws(chr(31), rule, account_id, coalesce(service_id, ''), period, coalesce(discriminator, ''))), 32)</c>.
    /// </summary>
    /// <param name="rule">Rule id, e.g. <c>rate_overcharge</c>; not empty.</param>
    /// <param name="accountId">Carrier account number; not empty.</param>
    /// <param name="serviceId">Service id, or null for an account-level finding (null and empty give the same id).</param>
    /// <param name="period">The finding's period.</param>
    /// <param name="discriminator">Tells apart findings of one rule that share the other fields (e.g. an invoice id); null when not needed.</param>
    /// <returns>32 lower-case hex digits.</returns>
    /// <exception cref="ArgumentException"><paramref name="rule"/> or <paramref name="accountId"/> is empty, or a field contains U+001F.</exception>
    public static string Create(string rule, string accountId, string? serviceId, BillingMonth period, string? discriminator = null) =>
        Hash(rule, accountId, serviceId, period.ToString(), discriminator);

    /// <summary>
    /// The id of a finding that is one per service whatever the month (a recurring saving such as an unused line, stated
    /// in the latest month): the recipe of <see cref="Create"/> with an empty period field, so the id stays the same when
    /// a later month arrives and the dispute recorded against it (a cancellation submitted) stays with it.
    /// </summary>
    public static string CreateForService(string rule, string accountId, string? serviceId, string? discriminator = null) =>
        Hash(rule, accountId, serviceId, string.Empty, discriminator);

    private static string Hash(string rule, string accountId, string? serviceId, string period, string? discriminator)
    {
        ArgumentException.ThrowIfNullOrEmpty(rule);
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        serviceId ??= string.Empty;
        discriminator ??= string.Empty;
        RejectSeparator(rule, nameof(rule));
        RejectSeparator(accountId, nameof(accountId));
        RejectSeparator(serviceId, nameof(serviceId));
        RejectSeparator(discriminator, nameof(discriminator));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(Separator, rule, accountId, serviceId, period, discriminator)));
        return Convert.ToHexStringLower(hash, 0, 16);
    }

    // A separator inside a field would let two different field lists hash the same text.
    private static void RejectSeparator(string value, string name)
    {
        if (value.Contains(Separator, StringComparison.Ordinal))
        {
            throw new ArgumentException("A finding id field must not contain U+001F, the field separator.", name);
        }
    }
}
