-- The rated calls of the audit, built once per run after base.sql and rating.sql: every voice record of an account with a
-- rate deck, in a zone DuckDB knows, with a service id, and what rating.sql's rated_usage gives it. Rating is the costly
-- part of the audit's SQL (the called number's digits, the zone, the deck's prefixes: about 4 s for 6 M calls);
-- rate_overcharge and the models' usage_anomaly both read this table instead of rating every call twice. rated_usage
-- stays the view for the analyst and for a rule that needs the calls left out here (contract_cost NULL there).
--
-- audit_calls holds numbers only (about 70 bytes a call rather than 210: the table stays within the audit's memory
-- limit): the service, the file and the destination are numbers into three small tables, and the texts a finding
-- quotes (record id, called number, invoice) are read back from usage, by file and line, for the few calls that need
-- them (audit_call_details).

-- Services, files and destinations, numbered in order (service_no in carrier, account, service order; file_no in
-- source_file order), so that ordering by the numbers is ordering by the texts.
CREATE OR REPLACE TEMP TABLE audit_call_services AS
SELECT CAST(row_number() OVER (ORDER BY carrier, account_id, service_id) AS INTEGER) AS service_no, carrier, account_id, service_id
FROM (SELECT DISTINCT carrier, account_id, service_id FROM usage WHERE usage_type = 'voice' AND service_id IS NOT NULL);

CREATE OR REPLACE TEMP TABLE audit_call_files AS
SELECT CAST(row_number() OVER (ORDER BY source_file) AS INTEGER) AS file_no, source_file
FROM (SELECT DISTINCT source_file FROM usage WHERE usage_type = 'voice');

-- Destination 0 is none (an unpriced call, or an entry without a destination name), so that every call has one.
CREATE OR REPLACE TEMP TABLE audit_call_destinations AS
SELECT CAST(row_number() OVER (ORDER BY destination) AS INTEGER) AS destination_no, destination
FROM (SELECT DISTINCT destination FROM rates WHERE destination IS NOT NULL)
UNION ALL
SELECT 0, NULL;

-- price_class: the rank (0 cheapest .. 1 dearest) of the call's contract rate per minute among the deck's rates; a call
-- the deck does not price is class 1 (unknown destinations are where toll fraud goes). destination_key: the entry's prefix,
-- or 'unrated ' and the number's first 4 digits. The features that need a service's neighbouring calls (calls within 30
-- minutes, new destination) are window functions in AnomalyFeatures.DefineCalls.
-- DuckDB's build-side optimizer builds the services' hash join on the millions of rated calls (it underestimates the
-- rating's output) and probes it with the few thousand services: 3 s of 8 on 6 M calls. Off for this statement, each
-- join builds on its right side as written (the small tables).
SET disabled_optimizers = 'build_side_probe_side';
CREATE OR REPLACE TEMP TABLE audit_calls AS
WITH deck AS (
    SELECT rate_plan_id, rate_per_minute,
           CASE WHEN count(*) OVER (PARTITION BY rate_plan_id) = 1 THEN 0.0
                ELSE percent_rank() OVER (PARTITION BY rate_plan_id ORDER BY rate_per_minute) END AS price_class
    FROM (SELECT DISTINCT rate_plan_id, rate_per_minute FROM rates))
SELECT s.service_no, f.file_no, r.source_line, r.start_time, r.local_start, r.duration_s, r.billed_amount, r.contract_cost,
       coalesce(dn.destination_no, 0) AS destination_no,
       coalesce(r.rate_prefix, 'unrated ' || left(r.called_digits, 4)) AS destination_key,
       coalesce(d.price_class, 1.0) AS price_class
FROM rated_usage r
JOIN rating_accounts a ON a.account_id = r.account_id AND a.carrier = r.carrier
JOIN audit_call_services s ON s.carrier = r.carrier AND s.account_id = r.account_id AND s.service_id = r.service_id
LEFT JOIN audit_call_files f ON f.source_file = r.source_file
LEFT JOIN audit_call_destinations dn ON dn.destination = r.rate_destination
LEFT JOIN deck d ON d.rate_plan_id = a.rate_plan_id AND d.rate_per_minute = r.rate_per_minute
WHERE a.rate_plan_id IS NOT NULL AND r.local_start IS NOT NULL AND r.service_id IS NOT NULL;
RESET disabled_optimizers;

-- The calls of a table holding audit_calls' columns and a call_id (e.g. a few outliers picked by rowid) with their
-- texts: the service's carrier, account and service, the file, the destination, the billing month (of the local start),
-- the account's currency, and from usage (same file, line and start) the record id, called number and invoice. Inner
-- joins only (each call has exactly one row in each); the picked calls are the build side of the join with usage.
CREATE OR REPLACE MACRO audit_call_texts(calls_table) AS TABLE
SELECT c.*, s.carrier, s.account_id, s.service_id, f.source_file, dn.destination AS rate_destination,
       strftime(CAST(c.local_start AS DATE), '%Y-%m') AS usage_month, a.currency, u.record_id, u.called_number, u.invoice_id
FROM query_table(calls_table) c
JOIN audit_call_services s ON s.service_no = c.service_no
JOIN audit_call_files f ON f.file_no = c.file_no
JOIN audit_call_destinations dn ON dn.destination_no = c.destination_no
JOIN rating_accounts a ON a.account_id = s.account_id AND a.carrier = s.carrier
JOIN usage u ON u.source_file = f.source_file AND u.source_line = c.source_line AND u.start_time = c.start_time;

-- Every call of audit_calls with its texts (call_id: its rowid); a query's own filter on the calls' columns (the
-- overcharged calls) is applied before usage is read.
CREATE OR REPLACE VIEW audit_call_ids AS SELECT rowid AS call_id, * FROM audit_calls;
CREATE OR REPLACE VIEW audit_call_details AS SELECT * FROM audit_call_texts('audit_call_ids');
