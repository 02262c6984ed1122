-- rule: duplicate_recurring
-- title: A recurring charge billed twice for the same month
-- severity: high
-- action: dispute
-- confidence: 0.97
-- setting: min_amount = 0.01   Smallest duplicated amount that fires.
-- description: A service has two or more recurring lines for the same billing month (same or different invoices); every copy but the first is claimed back.
SELECT carrier, account_id, service_id, month AS period,
       sum(amount) - first(amount ORDER BY invoice_date, invoice_id, line_no) AS one_time_amount, 0 AS monthly_savings,
       count(*)::VARCHAR || ' recurring lines for ' || month || ' totalling ' || tem_money(sum(amount)) AS detail,
       tem_evidence(list(line_ref || ' (' || file_ref || ') ' || tem_money(amount) ORDER BY invoice_date, invoice_id, line_no)) AS evidence
FROM audit_lines
WHERE charge_type = 'recurring' AND service_id IS NOT NULL
GROUP BY carrier, account_id, service_id, month
HAVING count(*) > 1 AND sum(amount) - first(amount ORDER BY invoice_date, invoice_id, line_no) >= {{min_amount}}
