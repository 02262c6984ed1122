-- Features of the anomaly models (src/Tem.Audit/Anomaly), built after base.sql, rating.sql and calls.sql.
-- Series: usage per service and local day in the account's zone (audit_usage's usage_day: the same day boundaries as
-- its billing month, and a zone DuckDB does not know falls back to the offset the record was written with). Calls: calls.sql's audit_calls (the isolation forest's features are
-- window functions over it in AnomalyFeatures.DefineCalls).

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
