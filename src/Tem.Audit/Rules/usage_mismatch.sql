-- rule: usage_mismatch
-- title: Usage charges above the usage records behind them
-- severity: medium
-- action: dispute
-- confidence: 0.9
-- setting: tolerance = 0.01   The invoice's usage lines must exceed the records by more than this to fire.
-- description: For one invoice and service, the invoice's usage lines total more than the sum of the usage records' billed_amount for that invoice and service.
WITH lines AS (
    SELECT carrier, account_id, invoice_id, service_id, month, sum(amount) AS billed,
           list(line_ref || ' (' || file_ref || ') ' || tem_money(amount) ORDER BY line_no) AS refs
    FROM audit_lines
    WHERE charge_type = 'usage' AND service_id IS NOT NULL
    GROUP BY ALL),
records AS (
    SELECT invoice_id, service_id, sum(billed_amount) AS billed, count(*) AS n
    FROM usage
    GROUP BY ALL)
SELECT l.carrier, l.account_id, l.service_id, l.month AS period, l.billed - coalesce(r.billed, 0) AS one_time_amount, 0 AS monthly_savings,
       'invoice ' || l.invoice_id || ' bills ' || tem_money(l.billed) || ' of usage; its ' || coalesce(r.n, 0)::VARCHAR
           || ' usage records total ' || tem_money(coalesce(r.billed, 0)) AS detail,
       tem_evidence(l.refs) AS evidence,
       l.invoice_id AS discriminator
FROM lines l
LEFT JOIN records r ON r.invoice_id = l.invoice_id AND r.service_id = l.service_id
WHERE l.billed - coalesce(r.billed, 0) > {{tolerance}}
