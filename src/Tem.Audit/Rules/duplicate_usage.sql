-- rule: duplicate_usage
-- title: The same usage billed more than once
-- severity: high
-- action: dispute
-- confidence: 0.95
-- setting: min_amount = 0.01   Smallest amount of billed copies that fires, per service and billing month.
-- description: Two or more usage records of one service with the same usage_type, start instant, called number (digits), duration_s and data_mb (record_id may differ); every copy but the first is claimed back.
-- Candidates first, by one hash of the key (cheap over millions of records); the real key columns then group them.
WITH keyed AS (
    SELECT *, hash(carrier, account_id, service_id, usage_type, start_time, coalesce(called_digits, ''), coalesce(duration_s, 0),
                   coalesce(data_mb, 0)) AS tem_key
    FROM audit_usage),
candidates AS (
    SELECT * FROM keyed WHERE tem_key IN (SELECT tem_key FROM keyed GROUP BY tem_key HAVING count(*) > 1)),
groups AS (
    SELECT carrier, account_id, service_id, usage_type, start_time, coalesce(called_digits, '') AS called, coalesce(duration_s, 0) AS d,
           coalesce(data_mb, 0) AS mb,
           count(*) AS copies,
           sum(billed_amount) - first(billed_amount ORDER BY source_file, source_line) AS extra,
           first(usage_month ORDER BY source_file, source_line) AS period,
           list(source_file || ':' || source_line::VARCHAR || ' record ' || record_id ORDER BY source_file, source_line) AS refs
    FROM candidates
    GROUP BY carrier, account_id, service_id, usage_type, start_time, called, d, mb
    HAVING count(*) > 1)
SELECT carrier, account_id, service_id, period,
       sum(extra) AS one_time_amount, 0 AS monthly_savings,
       count(*)::VARCHAR || ' records billed ' || sum(copies)::VARCHAR || ' times in all; ' || tem_money(sum(extra)) || ' billed for the copies' AS detail,
       tem_evidence(flatten(list(refs ORDER BY start_time, usage_type, called, d, mb))) AS evidence
FROM groups
GROUP BY carrier, account_id, service_id, period
HAVING sum(extra) >= {{min_amount}}
