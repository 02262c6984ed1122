-- rule: unbilled_resale
-- title: Resold service not billed to the end customer
-- severity: medium
-- action: investigate
-- confidence: 0.9
-- money: reseller
-- setting: min_amount = 0.01   Smallest monthly carrier charge that fires.
-- description: A service billed by the carrier to a reseller (bill_to = reseller) has no resale.csv line for that month, while that reseller has resale lines for that month; the carrier's charges are revenue the reseller can still bill. Where a reseller has no resale data at all for a month, its services are not judged and the run says so once.
-- not_judged: no resale data for {subject}
WITH billed AS (
    SELECT m.*, a.reseller_id, a.customer_id
    FROM audit_service_month m
    -- The account's reseller and bill-to in force in that month (a transfer changes the months after it only).
    JOIN account_versions a ON a.account_id = m.account_id AND a.carrier = m.carrier AND tem_in_force(a.valid_from, a.valid_to, m.month)
    JOIN services s ON s.service_id = m.service_id AND s.account_id = m.account_id
    WHERE a.reseller_id IS NOT NULL AND a.bill_to_id = a.reseller_id AND m.charges >= {{min_amount}}),
-- The (reseller, month)s whose resale data exists: only those can show a service was left unbilled.
covered AS (SELECT DISTINCT reseller_id, period FROM resale)
SELECT b.carrier, b.account_id, b.service_id, b.month AS period, b.charges AS one_time_amount, 0 AS monthly_savings,
       'billed to reseller ' || b.reseller_id || ' ' || tem_money(b.charges) || ' for ' || b.month || ' with no resale line for customer ' || b.customer_id AS detail,
       tem_evidence(b.line_refs) AS evidence
FROM billed b
JOIN covered c ON c.reseller_id = b.reseller_id AND c.period = b.month
WHERE NOT EXISTS (SELECT 1 FROM resale r WHERE r.reseller_id = b.reseller_id AND r.service_id = b.service_id AND r.period = b.month)
-- not judged
WITH billed AS (
    SELECT m.service_id, m.month, a.reseller_id
    FROM audit_service_month m
    JOIN account_versions a ON a.account_id = m.account_id AND a.carrier = m.carrier AND tem_in_force(a.valid_from, a.valid_to, m.month)
    JOIN services s ON s.service_id = m.service_id AND s.account_id = m.account_id
    WHERE a.reseller_id IS NOT NULL AND a.bill_to_id = a.reseller_id AND m.charges >= {{min_amount}})
SELECT b.reseller_id AS subject, b.month AS period, b.service_id
FROM billed b
WHERE NOT EXISTS (SELECT 1 FROM resale r WHERE r.reseller_id = b.reseller_id AND r.period = b.month)
