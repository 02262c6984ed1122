-- rule: unbilled_resale
-- title: Resold service not billed to the end customer
-- severity: medium
-- action: investigate
-- confidence: 0.9
-- money: reseller
-- setting: min_amount = 0.01   Smallest monthly carrier charge that fires.
-- description: A service billed by the carrier to a reseller (bill_to = reseller) has no resale.csv line for that month; the carrier's charges are revenue the reseller can still bill.
SELECT m.carrier, m.account_id, m.service_id, m.month AS period, m.charges AS one_time_amount, 0 AS monthly_savings,
       'billed to reseller ' || a.reseller_id || ' ' || tem_money(m.charges) || ' for ' || m.month || ' with no resale line for customer ' || a.customer_id AS detail,
       tem_evidence(m.line_refs) AS evidence
FROM audit_service_month m
-- The account's reseller and bill-to in force in that month (a transfer changes the months after it only).
JOIN account_versions a ON a.account_id = m.account_id AND a.carrier = m.carrier AND tem_in_force(a.valid_from, a.valid_to, m.month)
JOIN services s ON s.service_id = m.service_id AND s.account_id = m.account_id
WHERE a.reseller_id IS NOT NULL AND a.bill_to_id = a.reseller_id
  AND NOT EXISTS (SELECT 1 FROM resale r WHERE r.reseller_id = a.reseller_id AND r.service_id = m.service_id AND r.period = m.month)
  AND m.charges >= {{min_amount}}
