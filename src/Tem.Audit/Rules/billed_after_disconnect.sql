-- rule: billed_after_disconnect
-- title: Billed after the service was disconnected
-- severity: high
-- action: dispute
-- confidence: 0.97
-- setting: min_amount = 0.01   Smallest amount per month that fires.
-- description: A service is billed (any charge type but credit) for a month that starts after its disconnected_on; the latest such recurring amount is also a monthly saving.
WITH billed AS (
    SELECT l.carrier, l.account_id, l.service_id, l.month, s.disconnected_on,
           sum(l.amount) AS amount,
           last(l.amount ORDER BY l.invoice_date, l.invoice_id, l.line_no) FILTER (WHERE l.charge_type = 'recurring') AS recurring,
           list(l.line_ref || ' (' || l.file_ref || ') ' || l.charge_type || ' ' || tem_money(l.amount) ORDER BY l.invoice_id, l.line_no) AS refs
    FROM audit_lines l
    JOIN services s ON s.service_id = l.service_id AND s.account_id = l.account_id
    WHERE l.charge_type <> 'credit' AND s.disconnected_on IS NOT NULL AND tem_month_first(l.month) > s.disconnected_on
    GROUP BY ALL)
SELECT carrier, account_id, service_id, month AS period, amount AS one_time_amount,
       CASE WHEN month = max(month) OVER (PARTITION BY carrier, account_id, service_id) THEN coalesce(recurring, 0) ELSE 0 END AS monthly_savings,
       'disconnected on ' || strftime(disconnected_on, '%Y-%m-%d') || ', still billed ' || tem_money(amount) || ' for ' || month AS detail,
       tem_evidence(refs) AS evidence
FROM billed
WHERE amount >= {{min_amount}}
