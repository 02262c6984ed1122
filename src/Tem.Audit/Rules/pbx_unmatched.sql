-- rule: pbx_unmatched
-- title: Calls billed by the carrier that the client's PBX never made
-- severity: medium
-- action: dispute
-- confidence: 0.85
-- requires: pbx_calls
-- setting: window_s = 120   Most seconds between the carrier's start and the PBX call's start (or answer) for a match.
-- setting: duration_pct = 10   Most difference, in percent of the carrier's duration_s, between it and the PBX call's talk time (billsec_s of its leg or of the whole call).
-- setting: duration_slack_s = 1   Least allowed duration difference in seconds, whatever the percentage (both sides round to whole seconds).
-- setting: match_digits = 9   Called numbers match on their last N digits when both have N or more (a PBX dials 9 or 0 for a line and national forms); shorter numbers, or 0 here, need all digits equal.
-- setting: min_amount = 0.01   Smallest billed amount of unmatched calls that fires, per service and billing month.
-- description: A carrier-billed voice record (billed_amount > 0) with no PBX call (pbx_call_groups: legs sharing a call_id are one call) to the same number (digits) on a leg, starting within window_s and lasting within duration_pct of that leg or of the whole call, while PBX data covers that hour: a PBX serving the account (one whose calls match some of the account's carrier records) has an ingested file whose calls span that clock hour (UTC).
-- Calls, not legs: pbx_calls rows are legs, and legs sharing (pbx, call_id) are one call (pbx_call_groups: an Asterisk
-- linkedid, a CUCM global call id, FreeSWITCH a- and b-legs). A carrier record matches a call when one of its legs dialled
-- the number and started (or was answered) within window_s, and the talk time of that leg or of the whole call (from its
-- first answer to its last answered leg's end, e.g. across a transfer) is within duration_pct.
-- Candidates are joined on the number's key and a day bucket (equi-join), then filtered on the exact conditions.
WITH pbx AS (
    SELECT c.pbx, c.source_file, c.start_time, c.answer_time, c.billsec_s, g.billsec_s AS call_billsec_s, coalesce(c.called_digits, '') AS digits,
           CASE WHEN {{match_digits}} > 0 AND length(coalesce(c.called_digits, '')) >= {{match_digits}}
                THEN right(c.called_digits, {{match_digits}}) ELSE coalesce(c.called_digits, '') END AS num_key
    FROM pbx_calls c
    JOIN pbx_call_groups g ON g.pbx = c.pbx AND g.call_key = coalesce(c.call_id, c.record_id, c.source_file || ':' || CAST(c.source_line AS VARCHAR))),
pbx_days AS (
    -- A PBX call can match carrier records of every day its start or answer is within window_s of.
    SELECT DISTINCT p.*, d.day
    FROM pbx p,
         unnest([date_trunc('day', p.start_time - to_seconds({{window_s}})), date_trunc('day', p.start_time + to_seconds({{window_s}})),
                 date_trunc('day', coalesce(p.answer_time, p.start_time) - to_seconds({{window_s}})),
                 date_trunc('day', coalesce(p.answer_time, p.start_time) + to_seconds({{window_s}}))]) AS d(day)),
voice AS (
    SELECT *, coalesce(called_digits, '') AS digits, date_trunc('day', start_time) AS day,
           CASE WHEN {{match_digits}} > 0 AND length(coalesce(called_digits, '')) >= {{match_digits}}
                THEN right(called_digits, {{match_digits}}) ELSE coalesce(called_digits, '') END AS num_key
    FROM audit_usage
    WHERE usage_type = 'voice' AND billed_amount > 0),
matched AS (
    SELECT DISTINCT v.carrier, v.account_id, v.source_file, v.source_line, p.pbx
    FROM voice v JOIN pbx_days p ON p.num_key = v.num_key AND p.day = v.day
    WHERE (p.digits = v.digits OR ({{match_digits}} > 0 AND length(p.digits) >= {{match_digits}} AND length(v.digits) >= {{match_digits}}))
      AND (abs(epoch(p.start_time) - epoch(v.start_time)) <= {{window_s}}
           OR abs(epoch(p.answer_time) - epoch(v.start_time)) <= {{window_s}})
      AND least(abs(p.billsec_s - coalesce(v.duration_s, 0)), abs(p.call_billsec_s - coalesce(v.duration_s, 0)))
          <= greatest({{duration_pct}} / 100.0 * coalesce(v.duration_s, 0), {{duration_slack_s}})),
serving AS (
    SELECT DISTINCT carrier, account_id, pbx FROM matched),
spans AS (
    SELECT pbx, source_file, date_trunc('hour', min(start_time)) AS first_hour, date_trunc('hour', max(start_time)) AS last_hour
    FROM pbx_calls
    GROUP BY pbx, source_file),
unmatched AS (
    SELECT v.*
    FROM voice v
    WHERE NOT EXISTS (SELECT 1 FROM matched m WHERE m.source_file = v.source_file AND m.source_line = v.source_line)
      AND EXISTS (SELECT 1 FROM serving s JOIN spans sp ON sp.pbx = s.pbx
                  WHERE s.carrier = v.carrier AND s.account_id = v.account_id
                    AND date_trunc('hour', v.start_time) BETWEEN sp.first_hour AND sp.last_hour))
SELECT carrier, account_id, service_id, usage_month AS period,
       sum(billed_amount) AS one_time_amount, 0 AS monthly_savings,
       count(*)::VARCHAR || ' calls billed ' || tem_money(sum(billed_amount)) || ' that no PBX call matches (same number, start within '
           || '{{window_s}} s, duration within {{duration_pct}} %) while the PBX recorded calls' AS detail,
       tem_evidence(list(source_file || ':' || source_line::VARCHAR || ' record ' || record_id || ' to ' || coalesce(called_number, '?')
           || ' at ' || strftime(start_time, '%Y-%m-%dT%H:%M:%SZ') || ' for ' || coalesce(duration_s, 0)::VARCHAR || ' s billed '
           || tem_money(billed_amount) ORDER BY start_time, source_file, source_line)) AS evidence
FROM unmatched
GROUP BY carrier, account_id, service_id, usage_month
HAVING sum(billed_amount) >= {{min_amount}}
