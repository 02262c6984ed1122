-- rule: duplicate_usage
-- title: The same usage billed more than once
-- severity: high
-- action: dispute
-- confidence: 0.95
-- setting: min_amount = 0.01   Smallest amount of billed copies that fires, per service and billing month.
-- description: Two or more usage records of one service with the same usage_type, start instant, called number (digits), duration_s and data_mb (record_id may differ); every copy but the first is claimed back.
-- Candidates first: records sharing one hash of the key without the number, read straight from the lake's columns
-- (cheap over millions of records); only they get their number's digits (a regular expression per record, the costly
-- part), and the real key columns then group them.
WITH repeated AS (
    SELECT hash(carrier, account_id, service_id, usage_type, start_time, coalesce(duration_s, 0), coalesce(data_mb, 0)) AS tem_key
    FROM usage
    GROUP BY tem_key
    HAVING count(*) > 1),
candidates AS (
    SELECT * EXCLUDE (called_digits), tem_phone_digits(called_number) AS called_digits
    FROM audit_usage
    WHERE hash(carrier, account_id, service_id, usage_type, start_time, coalesce(duration_s, 0), coalesce(data_mb, 0)) IN (SELECT tem_key FROM repeated)),
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
