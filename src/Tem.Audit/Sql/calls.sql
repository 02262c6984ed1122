-- The rated calls of the audit, built once per run after base.sql and rating.sql: every voice record of an account with a
-- rate deck, in a zone DuckDB knows, with a service id, and what rating.sql's rated_usage gives it (contract_cost, the
-- entry's prefix and destination, the local start and billing month). Rating is the costly part of the audit's SQL (the
-- called number's digits, the zone, the deck's prefixes: about 4 s for 6 M calls); rate_overcharge and the models'
-- usage_anomaly both read this table instead of rating every call twice. rated_usage stays the view for the analyst and
-- for a rule that needs the calls left out here (an account without a deck or zone: contract_cost NULL).

-- Voice records of accounts with a deck. price_class: the rank (0 cheapest .. 1 dearest) of the call's contract rate per
-- minute among the deck's rates; a call the deck does not price is class 1 (unknown destinations are where toll fraud goes).
-- The features that need a service's neighbouring calls (calls within 30 minutes, new destination) are window functions
-- in AnomalyFeatures.DefineCalls, so that the calls stay in DuckDB (within the audit's memory limit) however many there are.
CREATE OR REPLACE TEMP TABLE audit_calls AS
WITH deck AS (
    SELECT rate_plan_id, rate_per_minute,
           CASE WHEN count(*) OVER (PARTITION BY rate_plan_id) = 1 THEN 0.0
                ELSE percent_rank() OVER (PARTITION BY rate_plan_id ORDER BY rate_per_minute) END AS price_class
    FROM (SELECT DISTINCT rate_plan_id, rate_per_minute FROM rates))
SELECT r.carrier, r.account_id, r.service_id, r.record_id, r.source_file, r.source_line, r.start_time, r.local_start, r.usage_month,
       r.called_number, r.duration_s, r.billed_amount, r.contract_cost, r.invoice_id, r.rate_destination, a.currency,
       coalesce(r.rate_prefix, 'unrated ' || left(r.called_digits, 4)) AS destination_key,
       coalesce(d.price_class, 1.0) AS price_class
FROM rated_usage r
JOIN rating_accounts a ON a.account_id = r.account_id AND a.carrier = r.carrier
LEFT JOIN deck d ON d.rate_plan_id = a.rate_plan_id AND d.rate_per_minute = r.rate_per_minute
WHERE a.rate_plan_id IS NOT NULL AND r.local_start IS NOT NULL AND r.service_id IS NOT NULL;
