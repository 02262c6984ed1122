-- Features of the anomaly models (src/Tem.Audit/Anomaly), built after base.sql, rating.sql and calls.sql.
-- Series: usage per service and local day in the account's zone (audit_usage's usage_day: the same day boundaries as
-- its billing month, and a zone DuckDB does not know falls back to the offset the record was written with). Calls: calls.sql's audit_calls (the isolation forest's features are
-- window functions over it in AnomalyFeatures.DefineCalls).

-- Every usage record with its local day (a view: the evidence of a finding reads it again for the flagged days only).
CREATE OR REPLACE VIEW anomaly_usage_records AS
SELECT * EXCLUDE (usage_day), usage_day AS day
FROM audit_usage
WHERE service_id IS NOT NULL;

-- What the spend model reads, in one pass over the records: per service and month (spend, voice minutes, data MB, the
-- spend of its records billed above zero, first and last local day, currency) and per account and local day (the
-- accounts' day series). The day series of a service are read again only for the few services the daily detectors
-- need (AnomalyFeatures.StreamServiceValues); a table of every service's days would be millions of rows.
CREATE OR REPLACE TEMP TABLE anomaly_sums AS
SELECT carrier, account_id, service_id, month_first, day,
       sum(billed_amount) AS spend,
       coalesce(sum(duration_s) FILTER (WHERE usage_type = 'voice'), 0) / 60.0 AS minutes,
       CAST(coalesce(sum(data_mb) FILTER (WHERE usage_type = 'data'), 0) AS DOUBLE) AS data_mb,
       coalesce(sum(billed_amount) FILTER (WHERE billed_amount > 0), 0) AS positive_spend,
       min(day) AS first_day, max(day) AS last_day,
       any_value(currency) AS currency
FROM (SELECT *, CAST(date_trunc('month', day) AS DATE) AS month_first FROM anomaly_usage_records)
-- A service's months (service_id set, day NULL) and an account's days (service_id and month_first NULL).
GROUP BY GROUPING SETS ((carrier, account_id, service_id, month_first), (carrier, account_id, day));

CREATE OR REPLACE VIEW anomaly_service_months AS SELECT * EXCLUDE (day) FROM anomaly_sums WHERE service_id IS NOT NULL;
CREATE OR REPLACE VIEW anomaly_account_days AS SELECT carrier, account_id, day, spend, minutes, data_mb FROM anomaly_sums WHERE service_id IS NULL;

-- One row per series (service), numbered in a fixed order; the account's currency as the audit knows it.
CREATE OR REPLACE TEMP TABLE anomaly_services AS
WITH s AS (
    SELECT carrier, account_id, service_id, min(first_day) AS first_day, any_value(currency) AS currency
    FROM anomaly_service_months GROUP BY ALL),
inventory AS (
    SELECT account_id, service_id, activated_on, service_type FROM services
    QUALIFY row_number() OVER (PARTITION BY account_id, service_id ORDER BY source_file, source_line) = 1)
SELECT CAST(row_number() OVER (ORDER BY s.carrier, s.account_id, s.service_id) - 1 AS INTEGER) AS series_no,
       s.carrier, s.account_id, s.service_id, s.currency, i.service_type,
       -- The series starts when the lake's usage starts or the service was activated, whichever is later (never after its first record).
       least(s.first_day, greatest((SELECT min(first_day) FROM anomaly_service_months), coalesce(i.activated_on, s.first_day))) AS first_day
FROM s
LEFT JOIN inventory i ON i.account_id = s.account_id AND i.service_id = s.service_id;
