-- Features of the anomaly models (src/Tem.Audit/Anomaly), built after base.sql and rating.sql.
-- Series: usage per service and local day in the account's zone (audit_usage's usage_day: the same day boundaries as
-- its billing month, and a zone DuckDB does not know falls back to the offset the record was written with). Calls: the voice records of accounts with a rate deck, with the features of the
-- isolation forest.

-- Every usage record with its local day (a view: the evidence of a finding reads it again for the flagged days only).
CREATE OR REPLACE VIEW anomaly_usage_records AS
SELECT * EXCLUDE (usage_day), usage_day AS day
FROM audit_usage
WHERE service_id IS NOT NULL;

CREATE OR REPLACE TEMP TABLE anomaly_usage_day AS
SELECT carrier, account_id, service_id, day,
       sum(billed_amount) AS spend,
       coalesce(sum(duration_s) FILTER (WHERE usage_type = 'voice'), 0) / 60.0 AS minutes,
       CAST(coalesce(sum(data_mb) FILTER (WHERE usage_type = 'data'), 0) AS DOUBLE) AS data_mb,
       any_value(currency) AS currency
FROM anomaly_usage_records
GROUP BY ALL;

-- One row per series (service), numbered in a fixed order; the account's currency as the audit knows it.
CREATE OR REPLACE TEMP TABLE anomaly_services AS
WITH s AS (
    SELECT carrier, account_id, service_id, min(day) AS first_day, any_value(currency) AS currency
    FROM anomaly_usage_day GROUP BY ALL),
inventory AS (
    SELECT account_id, service_id, activated_on, service_type FROM services
    QUALIFY row_number() OVER (PARTITION BY account_id, service_id ORDER BY source_file, source_line) = 1)
SELECT CAST(row_number() OVER (ORDER BY s.carrier, s.account_id, s.service_id) - 1 AS INTEGER) AS series_no,
       s.carrier, s.account_id, s.service_id, s.currency, i.service_type,
       -- The series starts when the lake's usage starts or the service was activated, whichever is later (never after its first record).
       least(s.first_day, greatest((SELECT min(day) FROM anomaly_usage_day), coalesce(i.activated_on, s.first_day))) AS first_day
FROM s
LEFT JOIN inventory i ON i.account_id = s.account_id AND i.service_id = s.service_id;

-- Voice records of accounts with a deck. price_class: the rank (0 cheapest .. 1 dearest) of the call's contract rate per
-- minute among the deck's rates; a call the deck does not price is class 1 (unknown destinations are where toll fraud goes).
-- The features that need a service's neighbouring calls (calls within 30 minutes, new destination) are window functions
-- in AnomalyFeatures.DefineCalls, so that the calls stay in DuckDB (within the audit's memory limit) however many there are.
CREATE OR REPLACE TEMP TABLE anomaly_calls AS
WITH deck AS (
    SELECT rate_plan_id, rate_per_minute,
           CASE WHEN count(*) OVER (PARTITION BY rate_plan_id) = 1 THEN 0.0
                ELSE percent_rank() OVER (PARTITION BY rate_plan_id ORDER BY rate_per_minute) END AS price_class
    FROM (SELECT DISTINCT rate_plan_id, rate_per_minute FROM rates))
SELECT r.carrier, r.account_id, r.service_id, r.record_id, r.source_file, r.source_line, r.start_time, r.local_start, r.usage_month,
       r.called_number, r.duration_s, r.billed_amount, r.rate_destination, a.currency,
       coalesce(r.rate_prefix, 'unrated ' || left(r.called_digits, 4)) AS destination_key,
       coalesce(d.price_class, 1.0) AS price_class
FROM rated_usage r
JOIN rating_accounts a ON a.account_id = r.account_id AND a.carrier = r.carrier
LEFT JOIN deck d ON d.rate_plan_id = a.rate_plan_id AND d.rate_per_minute = r.rate_per_minute
WHERE a.rate_plan_id IS NOT NULL AND r.local_start IS NOT NULL AND r.service_id IS NOT NULL;
