-- rule: recurring_above_contract
-- title: Recurring charge above the contracted plan fee
-- severity: high
-- action: dispute
-- confidence: 0.95
-- setting: tolerance = 0.01   A full-month recurring line must exceed the plan fee by more than this to fire.
-- description: A full-calendar-month recurring line exceeds the plan's effective monthly_fee; the excess is claimed each month and saved monthly from the latest month on.
WITH over AS (
    SELECT l.carrier, l.account_id, l.service_id, l.month, l.amount, p.plan_id, p.monthly_fee, l.amount - p.monthly_fee AS excess,
           l.line_ref, l.file_ref
    FROM audit_lines l
    JOIN services s ON s.service_id = l.service_id AND s.account_id = l.account_id
    JOIN plans p ON p.plan_id = s.plan_id
                AND p.effective_from <= tem_month_first(l.month)
                AND (p.effective_to IS NULL OR p.effective_to >= tem_month_last(l.month))
    WHERE l.charge_type = 'recurring'
      AND l.period_start = tem_month_first(l.month) AND l.period_end = tem_month_last(l.month)
      AND l.amount - p.monthly_fee > {{tolerance}})
SELECT carrier, account_id, service_id, month AS period, sum(excess) AS one_time_amount,
       CASE WHEN month = max(month) OVER (PARTITION BY carrier, account_id, service_id) THEN sum(excess) ELSE 0 END AS monthly_savings,
       'billed ' || tem_money(sum(amount)) || ' for ' || month || '; plan ' || first(plan_id ORDER BY line_ref) || ' costs ' || tem_money(first(monthly_fee ORDER BY line_ref)) AS detail,
       tem_evidence(list(line_ref || ' (' || file_ref || ') ' || tem_money(amount) ORDER BY line_ref, file_ref)) AS evidence
FROM over
GROUP BY carrier, account_id, service_id, month
