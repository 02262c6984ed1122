-- rule: oversized_plan
-- title: A plan bigger than the line needs
-- severity: low
-- action: downgrade
-- identity: service
-- confidence: 0.8
-- setting: months = 3   Recent billing months whose peak usage must fit the cheaper plan.
-- setting: min_saving = 1.00   A cheaper plan must save at least this per month.
-- description: An active mobile service with enough history fits a cheaper plan of the same carrier and service type effective in the latest month: U is the most minutes (each call in started minutes), SMS and MB of any of the latest months; unused services are left to unused_service.
WITH latest AS (SELECT month FROM audit_latest),
recent AS (
    SELECT u.service_id, u.usage_month,
           sum(CASE WHEN u.usage_type = 'voice' THEN (coalesce(u.duration_s, 0) + 59) // 60 ELSE 0 END) AS minutes,
           count(*) FILTER (WHERE u.usage_type = 'sms') AS sms,
           coalesce(sum(u.data_mb) FILTER (WHERE u.usage_type = 'data'), 0) AS mb
    FROM audit_usage u, latest
    WHERE u.usage_month > tem_month_add(latest.month, -{{months}}) AND u.usage_month <= latest.month
    GROUP BY ALL),
peak AS (
    SELECT service_id, max(minutes) AS minutes, max(sms) AS sms, max(mb) AS mb FROM recent GROUP BY ALL),
candidates AS (
    SELECT s.account_id, s.service_id, s.source_file, s.source_line, cur.carrier, cur.plan_id AS current_plan, cur.monthly_fee AS current_fee,
           p.plan_id AS better_plan, p.monthly_fee AS better_fee, pk.minutes, pk.sms, pk.mb
    FROM services s
    CROSS JOIN latest
    -- a line with no recent usage at all needs nothing: zero minutes, SMS and MB
    JOIN (SELECT s0.service_id, coalesce(pk0.minutes, 0) AS minutes, coalesce(pk0.sms, 0) AS sms, coalesce(pk0.mb, 0) AS mb
          FROM services s0 LEFT JOIN peak pk0 ON pk0.service_id = s0.service_id) pk ON pk.service_id = s.service_id
    -- the plan's latest version, should plans.csv list it more than once
    JOIN (SELECT * FROM plans QUALIFY row_number() OVER (PARTITION BY plan_id ORDER BY effective_from DESC) = 1) cur ON cur.plan_id = s.plan_id
    JOIN plans p ON p.carrier = cur.carrier AND p.service_type = s.service_type
                AND p.effective_from <= tem_month_first(latest.month)
                AND (p.effective_to IS NULL OR p.effective_to >= tem_month_last(latest.month))
                AND (p.included_minutes IS NULL OR p.included_minutes >= pk.minutes)
                AND (p.included_sms IS NULL OR p.included_sms >= pk.sms)
                AND (p.included_data_mb IS NULL OR p.included_data_mb >= pk.mb)
    WHERE s.service_type = 'mobile' AND s.status = 'active'
      AND s.activated_on <= tem_month_first(tem_month_add(latest.month, -({{months}} - 1)))),
best AS (
    SELECT *, row_number() OVER (PARTITION BY account_id, service_id ORDER BY better_fee, better_plan) AS rank FROM candidates)
SELECT b.carrier, b.account_id, b.service_id, latest.month AS period, 0 AS one_time_amount, b.current_fee - b.better_fee AS monthly_savings,
       b.better_plan AS recommended_plan_id,
       'peak use ' || b.minutes::VARCHAR || ' min, ' || b.sms::VARCHAR || ' SMS, ' || printf('%.1f', b.mb) || ' MB fits ' || b.better_plan
           || ' at ' || tem_money(b.better_fee) || ' instead of ' || b.current_plan || ' at ' || tem_money(b.current_fee) AS detail,
       'services ' || b.source_file || ':' || b.source_line::VARCHAR || '; usage of the last ' || {{months}}::INTEGER::VARCHAR || ' months' AS evidence
FROM best b
CROSS JOIN latest
WHERE b.rank = 1 AND b.current_fee - b.better_fee >= {{min_saving}}
  -- unused lines belong to unused_service (same definition as that rule)
  AND NOT EXISTS (
      SELECT 1 FROM services s2
      WHERE s2.service_id = b.service_id AND s2.account_id = b.account_id
        AND s2.activated_on <= tem_month_first(tem_month_add(latest.month, -{{months}}))
        AND NOT EXISTS (SELECT 1 FROM audit_usage u WHERE u.service_id = s2.service_id
                        AND u.usage_month > tem_month_add(latest.month, -{{months}}) AND u.usage_month <= latest.month)
        AND EXISTS (SELECT 1 FROM audit_lines l WHERE l.service_id = s2.service_id AND l.charge_type = 'recurring' AND l.month = latest.month))
