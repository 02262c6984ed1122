-- rule: unused_service
-- title: A line nobody uses, still billed
-- severity: medium
-- action: cancel
-- identity: service
-- confidence: 0.85
-- setting: months = 3   Recent billing months without any usage record.
-- description: An active service activated at least this many full months before the latest month has no usage record in each of the latest months and is still billed; cancelling saves its latest recurring amount every month.
WITH latest AS (SELECT month FROM audit_latest),
window_usage AS (
    SELECT DISTINCT u.service_id FROM audit_usage u, latest
    WHERE u.usage_month > tem_month_add(latest.month, -{{months}}) AND u.usage_month <= latest.month),
billed AS (
    SELECT l.carrier, l.account_id, l.service_id,
           last(l.amount ORDER BY l.invoice_date, l.invoice_id, l.line_no) AS amount,
           last(l.line_ref || ' (' || l.file_ref || ')' ORDER BY l.invoice_date, l.invoice_id, l.line_no) AS ref
    FROM audit_lines l, latest
    WHERE l.charge_type = 'recurring' AND l.month = latest.month
    GROUP BY ALL)
SELECT b.carrier, s.account_id, s.service_id, latest.month AS period, 0 AS one_time_amount, b.amount AS monthly_savings,
       'active since ' || strftime(s.activated_on, '%Y-%m-%d') || ', no usage in the last ' || {{months}}::INTEGER::VARCHAR
           || ' billing months, billed ' || tem_money(b.amount) || ' a month' AS detail,
       'services ' || s.source_file || ':' || s.source_line::VARCHAR || '; latest recurring ' || b.ref AS evidence
FROM services s
CROSS JOIN latest
JOIN billed b ON b.service_id = s.service_id AND b.account_id = s.account_id
WHERE s.status = 'active'
  AND s.activated_on <= tem_month_first(tem_month_add(latest.month, -{{months}}))
  AND s.service_id NOT IN (SELECT service_id FROM window_usage)
  AND b.amount > 0
