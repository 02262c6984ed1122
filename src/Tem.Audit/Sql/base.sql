-- Shared definitions for the rule catalogue (run before the rating views and the rules).
-- Billing month of an invoice line: the month of period_start (charges.month, set at ingest).
-- Billing month of a usage record: the month of its start in the account's time zone (usage_month).

CREATE OR REPLACE MACRO tem_month_first(m) AS (strptime(m || '-01', '%Y-%m-%d')::DATE);
CREATE OR REPLACE MACRO tem_month_last(m) AS (last_day(tem_month_first(m)));
CREATE OR REPLACE MACRO tem_month_add(m, n) AS (strftime(tem_month_first(m) + to_months(CAST(n AS INTEGER)), '%Y-%m'));

-- Evidence: the first 25 references, then how many more.
CREATE OR REPLACE MACRO tem_evidence(refs) AS (
    array_to_string(list_slice(refs, 1, 25), ', ')
    || CASE WHEN len(refs) > 25 THEN ' (+' || (len(refs) - 25)::VARCHAR || ' more)' ELSE '' END);

-- An amount in a detail or evidence text: the exact value between marks; the engine formats it in the finding's
-- currency's minor units once the currency is known (Tem.Core MoneyText: 29.9500 reads 29.95 in USD, 30 in JPY).
CREATE OR REPLACE MACRO tem_money(x) AS ('⟦' || printf('%.4f', x::DECIMAL(18,4)) || '⟧');

-- Usage with the account's zone and currency and the billing month in it: a view, so that each rule reads only the
-- columns it needs straight from the lake's Parquet (materialising 10 M wide rows cost 17 s and most of the memory
-- limit; a read of the view costs one small join). The local month of an instant only changes at local midnight: for
-- each zone and UTC day of the usage's span, audit_zone_days holds the zone's offset when it is the same at both ends
-- of the day, and the local month when the whole day falls in one. A record takes its day's month (most of them),
-- else its instant plus the day's offset (a day crossing a local month boundary), else ICU's conversion (a day with an
-- offset transition). A zone changing its offset and back within one UTC day would be missed, and none does. A zone
-- DuckDB does not know leaves the recorded month.
SET TimeZone = 'UTC';
CREATE OR REPLACE TEMP TABLE audit_zone_days AS
WITH span AS (
    SELECT CAST(make_timestamp(epoch_us(min(start_time))) AS DATE) AS first_day,
           CAST(make_timestamp(epoch_us(max(start_time))) AS DATE) AS last_day
    FROM usage),
days AS (
    SELECT CAST(unnest(range(CAST(first_day AS TIMESTAMP), CAST(last_day AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY)) AS DATE) AS utc_date
    FROM span WHERE first_day IS NOT NULL),
zones AS (
    SELECT DISTINCT time_zone FROM accounts WHERE time_zone IN (SELECT name FROM pg_timezone_names())),
offsets AS (
    SELECT z.time_zone, d.utc_date,
           epoch_us(timezone(z.time_zone, timezone('UTC', CAST(d.utc_date AS TIMESTAMP)))) - epoch_us(CAST(d.utc_date AS TIMESTAMP)) AS at_start,
           epoch_us(timezone(z.time_zone, timezone('UTC', CAST(d.utc_date + 1 AS TIMESTAMP)))) - epoch_us(CAST(d.utc_date + 1 AS TIMESTAMP)) AS at_end
    FROM zones z CROSS JOIN days d)
SELECT time_zone, utc_date, CASE WHEN at_start = at_end THEN at_start END AS offset_us,
       CASE WHEN at_start = at_end
             AND strftime(make_timestamp(epoch_us(CAST(utc_date AS TIMESTAMP)) + at_start), '%Y-%m')
                 = strftime(make_timestamp(epoch_us(CAST(utc_date + 1 AS TIMESTAMP)) - 1 + at_end), '%Y-%m')
            THEN strftime(make_timestamp(epoch_us(CAST(utc_date AS TIMESTAMP)) + at_start), '%Y-%m') END AS local_month
FROM offsets;

-- accounts is one row per account (its latest version: zone and currency are the account's, not dated).
CREATE OR REPLACE VIEW audit_usage AS
SELECT u.*, a.time_zone, a.currency,
       CASE
           WHEN d.local_month IS NOT NULL THEN d.local_month
           WHEN d.offset_us IS NOT NULL THEN strftime(make_timestamp(epoch_us(u.start_time) + d.offset_us), '%Y-%m')
           WHEN d.time_zone IS NOT NULL THEN strftime(timezone(a.time_zone, u.start_time), '%Y-%m')
           ELSE u.month
       END AS usage_month,
       -- The local day, the same way; a zone DuckDB does not know takes the offset the record was written with.
       CASE
           WHEN d.offset_us IS NOT NULL THEN CAST(make_timestamp(epoch_us(u.start_time) + d.offset_us) AS DATE)
           WHEN d.time_zone IS NOT NULL THEN CAST(timezone(a.time_zone, u.start_time) AS DATE)
           ELSE CAST(make_timestamp(epoch_us(u.start_time) + 60000000 * CAST(u.start_offset_min AS BIGINT)) AS DATE)
       END AS usage_day
FROM usage u
LEFT JOIN accounts a ON a.account_id = u.account_id AND a.carrier = u.carrier
LEFT JOIN audit_zone_days d ON d.time_zone = a.time_zone AND d.utc_date = CAST(make_timestamp(epoch_us(u.start_time)) AS DATE);

CREATE OR REPLACE VIEW audit_lines AS
SELECT c.*, c.invoice_id || '#' || c.line_no::VARCHAR AS line_ref, c.source_file || ':' || c.source_line::VARCHAR AS file_ref
FROM charges c;

-- The latest billing month in the lake (invoices and usage), computed once.
-- The latest local month of a record is among the records within two days of the latest instant (offsets are under a day).
CREATE OR REPLACE TEMP TABLE audit_latest AS
SELECT max(m) AS month FROM (
    SELECT max(month) AS m FROM charges
    UNION ALL
    SELECT max(usage_month) FROM audit_usage WHERE start_time >= (SELECT max(start_time) FROM usage) - INTERVAL 2 DAY);

-- A service's carrier charges per billing month (credits excluded).
CREATE OR REPLACE VIEW audit_service_month AS
SELECT carrier, account_id, service_id, month,
       sum(amount) AS charges,
       sum(amount) FILTER (WHERE charge_type IN ('recurring', 'usage')) AS recurring_and_usage,
       list(line_ref || ' (' || file_ref || ')' ORDER BY invoice_id, line_no) AS line_refs
FROM audit_lines
WHERE service_id IS NOT NULL AND charge_type <> 'credit'
GROUP BY ALL;
