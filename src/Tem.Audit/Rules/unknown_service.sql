-- rule: unknown_service
-- title: Charges for a service missing from the inventory
-- severity: medium
-- action: investigate
-- confidence: 0.8
-- setting: min_amount = 0.01   Smallest amount per month that fires.
-- description: An invoice line names a service_id missing from the inventory (services.csv); the charges are at stake until someone identifies the service.
SELECT l.carrier, l.account_id, l.service_id, l.month AS period, sum(l.amount) AS one_time_amount, 0 AS monthly_savings,
       'service ' || l.service_id || ' is not in the inventory; billed ' || tem_money(sum(l.amount)) || ' for ' || l.month AS detail,
       tem_evidence(list(l.line_ref || ' (' || l.file_ref || ') ' || l.charge_type || ' ' || tem_money(l.amount) ORDER BY l.invoice_id, l.line_no)) AS evidence
FROM audit_lines l
WHERE l.service_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM services s WHERE s.service_id = l.service_id)
GROUP BY l.carrier, l.account_id, l.service_id, l.month
HAVING sum(l.amount) >= {{min_amount}}
