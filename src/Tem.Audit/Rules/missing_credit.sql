-- rule: missing_credit
-- title: A credit the carrier owes never appeared
-- severity: high
-- action: dispute
-- confidence: 0.9
-- setting: tolerance = 0.01   A credit line matches when its absolute amount is within this of the amount owed.
-- description: A credits_due entry has no matching credit line (same account, same service when given, amount within the tolerance) on an invoice dated by the end of due_by_period, while the lake holds a later invoice for that account.
WITH owed AS (
    SELECT a.carrier, c.*
    FROM credits_due c
    LEFT JOIN accounts a ON a.account_id = c.account_id)
SELECT o.carrier, o.account_id, o.service_id, o.due_by_period AS period, sum(o.amount) AS one_time_amount, 0 AS monthly_savings,
       count(*)::VARCHAR || ' credit(s) of ' || tem_money(sum(o.amount)) || ' due by ' || o.due_by_period || ' not on any invoice: '
           || string_agg(o.reason, '; ' ORDER BY o.credit_id, o.source_file, o.source_line) AS detail,
       tem_evidence(list('credit ' || o.credit_id || ' (' || o.source_file || ':' || o.source_line::VARCHAR || ')' ORDER BY o.credit_id, o.source_file, o.source_line)) AS evidence
FROM owed o
WHERE NOT EXISTS (
        SELECT 1 FROM charges l
        WHERE l.account_id = o.account_id AND l.charge_type = 'credit'
          AND (o.service_id IS NULL OR l.service_id = o.service_id)
          AND abs(abs(l.amount) - o.amount) <= {{tolerance}}
          AND l.invoice_date <= tem_month_last(o.due_by_period))
  AND EXISTS (SELECT 1 FROM charges l WHERE l.account_id = o.account_id AND l.invoice_date > tem_month_last(o.due_by_period))
GROUP BY o.carrier, o.account_id, o.service_id, o.due_by_period
