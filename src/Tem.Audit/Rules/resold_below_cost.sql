-- rule: resold_below_cost
-- title: Resold below the carrier's cost
-- severity: medium
-- action: renegotiate
-- identity: service
-- confidence: 0.9
-- money: reseller
-- setting: min_amount = 0.01   Smallest monthly shortfall that fires.
-- description: What a reseller bills for a service in a month is below the carrier's recurring and usage charges it is invoiced for it that month; the shortfall of the latest such month is a monthly saving while the reseller still sells the account.
WITH latest AS (SELECT month FROM audit_latest),
short AS (
    SELECT m.carrier, m.account_id, r.service_id, r.period, r.amount AS resold, coalesce(m.recurring_and_usage, 0) AS cost,
           coalesce(m.recurring_and_usage, 0) - r.amount AS shortfall, r.source_file || ':' || r.source_line::VARCHAR AS ref
    FROM resale r
    JOIN audit_service_month m ON m.service_id = r.service_id AND m.month = r.period
    -- The carrier's charges are the reseller's cost only in months the carrier invoices that reseller for the account.
    JOIN account_versions a ON a.carrier = m.carrier AND a.account_id = m.account_id AND tem_in_force(a.valid_from, a.valid_to, r.period)
                           AND a.bill_to_id = r.reseller_id
    -- A monthly saving is the reseller's only while it still sells the account (an exit or a transfer ends it).
    JOIN account_versions now ON now.carrier = m.carrier AND now.account_id = m.account_id
                             AND tem_in_force(now.valid_from, now.valid_to, (SELECT month FROM audit_latest)) AND now.reseller_id = r.reseller_id
    WHERE coalesce(m.recurring_and_usage, 0) - r.amount > 0)
SELECT carrier, account_id, service_id, latest.month AS period, 0 AS one_time_amount,
       last(shortfall ORDER BY period) AS monthly_savings,
       'resold at ' || tem_money(last(resold ORDER BY period)) || ' against a carrier cost of ' || tem_money(last(cost ORDER BY period))
           || ' in ' || last(period ORDER BY period) || ' (' || count(*)::VARCHAR || ' month(s) below cost)' AS detail,
       tem_evidence(list('resale ' || ref || ' ' || period ORDER BY period)) AS evidence
FROM short, latest
GROUP BY carrier, account_id, service_id, latest.month
HAVING last(shortfall ORDER BY period) >= {{min_amount}}
