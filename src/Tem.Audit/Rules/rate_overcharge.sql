-- rule: rate_overcharge
-- title: Calls billed above the contracted rate
-- severity: high
-- action: dispute
-- confidence: 0.98
-- setting: min_amount = 0.01   Smallest overcharge that fires, per service and billing month, in the account's currency.
-- description: A usage record of a voice_line or sip_trunk service is billed above its contract price (rerating per formats.md). Calls whose account's rate deck cannot be used (its rows disagree on band_split, rounding or rounding_decimals, decimals above 4, a rate group without its row at second 0) are not judged and the run says so once per deck.
-- not_judged: rate deck {subject} cannot be used
-- audit_call_details: the rated calls, built once per run (src/Tem.Audit/Sql/calls.sql; rated_usage is the same rating as
-- a view); the filter on the amounts applies before the calls' texts are read.
WITH over AS (
    SELECT r.*, r.billed_amount - r.contract_cost AS excess
    FROM audit_call_details r
    JOIN services s ON s.service_id = r.service_id AND s.account_id = r.account_id
    WHERE s.service_type IN ('voice_line', 'sip_trunk')
      AND r.contract_cost IS NOT NULL AND r.billed_amount > r.contract_cost)
SELECT carrier, account_id, service_id, usage_month AS period,
       sum(excess) AS one_time_amount, 0 AS monthly_savings,
       count(*)::VARCHAR || ' calls billed ' || tem_money(sum(billed_amount)) || ' against a contract price of '
           || tem_money(sum(contract_cost)) || ' (invoices ' || string_agg(DISTINCT coalesce(invoice_id, '?'), ', ' ORDER BY coalesce(invoice_id, '?')) || ')' AS detail,
       tem_evidence(list(source_file || ':' || source_line::VARCHAR || ' record ' || record_id || ' billed ' || tem_money(billed_amount)
           || ' contract ' || tem_money(contract_cost) ORDER BY start_time, source_file, source_line)) AS evidence
FROM over
GROUP BY carrier, account_id, service_id, usage_month
HAVING sum(excess) >= {{min_amount}}
-- not judged
SELECT a.rate_plan_id || ' (' || d.problem || ')' AS subject, u.usage_month AS period, u.service_id
FROM audit_usage u
JOIN rating_accounts a ON a.account_id = u.account_id AND a.carrier = u.carrier
JOIN rating_decks d ON d.rate_plan_id = a.rate_plan_id
JOIN services s ON s.service_id = u.service_id AND s.account_id = u.account_id
WHERE u.usage_type = 'voice' AND s.service_type IN ('voice_line', 'sip_trunk') AND NOT d.deck_ok
