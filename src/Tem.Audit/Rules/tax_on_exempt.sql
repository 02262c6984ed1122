-- rule: tax_on_exempt
-- title: Tax charged on a tax-exempt account
-- severity: high
-- action: dispute
-- confidence: 0.97
-- setting: min_amount = 0.01   Smallest tax per account and month that fires.
-- description: A tax line on an account with tax_exempt = true in that billing month.
SELECT l.carrier, l.account_id, NULL AS service_id, l.month AS period, sum(l.amount) AS one_time_amount, 0 AS monthly_savings,
       'account is tax-exempt; ' || count(*)::VARCHAR || ' tax line(s) of ' || tem_money(sum(l.amount)) || ' for ' || l.month AS detail,
       tem_evidence(list(l.line_ref || ' (' || l.file_ref || ') ' || coalesce(l.description, '') || ' ' || tem_money(l.amount) ORDER BY l.invoice_id, l.line_no)) AS evidence
FROM audit_lines l
JOIN account_versions a ON a.account_id = l.account_id AND a.carrier = l.carrier AND tem_in_force(a.valid_from, a.valid_to, l.month)
WHERE l.charge_type = 'tax' AND a.tax_exempt
GROUP BY l.carrier, l.account_id, l.month
HAVING sum(l.amount) >= {{min_amount}}
