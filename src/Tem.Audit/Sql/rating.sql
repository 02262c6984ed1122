-- Contract rerating: rated_usage is every voice usage record with the price its account's rate deck gives it
-- (formats.md, "rates.csv" and "Rating"). The rule rate_overcharge compares it with billed_amount.
--
-- Runs as one script on a connection holding the lake views usage, accounts and rates and the macro
-- tem_phone_digits (usage.called_digits). It defines views and macros only (rating_*, rated_usage), so every query
-- sees the lake as it is then. It must price exactly as Tem.Core.Rating.ReferenceRater does; a seeded differential
-- test (tests/Tem.Audit.Tests/Rating) holds it to that.
--
-- Matching. The account is found by (carrier, account_id), its deck by rate_plan_id. The call's local start is its
-- instant in the account's IANA zone: its date selects entries by effective_from <= date <= effective_to (both
-- inclusive, effective_to empty = open), its time gives the band (peak Monday to Friday 08:00 <= t < 18:00, else
-- offpeak). Among the entries that apply (effective, band 'any' or the call's band, prefix starting the number),
-- the longest prefix wins, then a specific band over 'any', then the latest effective_from, then the first in the
-- deck (source_file, source_line). A prefix whose entries cover only the other band, or other dates, does not block
-- a shorter one.
--
-- How, for 10 M calls against a deck of hundreds of prefixes, set-based and without a per-call search:
-- 1. Node: the longest prefix of the deck (any band, any date) that starts the number. Every entry that could
--    apply to the call has a prefix that is a prefix of the node, so the node alone decides the candidates.
--    It is found with one equi-join per prefix length (1 to 15 digits, E.164's maximum; a join against a length
--    the deck lacks is empty and nearly free), on integer keys: the number's first n digits as a BIGINT. The rare
--    prefixes of 16 digits or more are matched by a list per 16-digit head.
-- 2. rating_resolved: for every node, band and date period in which the candidates do not change, the winning
--    entry, decided once per deck rather than once per call. One more equi-join (node, band) with the call's local
--    date inside the period picks it; the periods are disjoint, so a call gets at most one row.
-- 3. Local time: the zone offset of each (zone, UTC day) is computed once; a call on a day without a transition
--    adds it, a call on a day with a transition is converted by ICU directly. Converting every call with a
--    per-row zone costs about 1.5 us per call.
--
-- Price. Exact integer arithmetic, never DOUBLE (DuckDB's DECIMAL / INTEGER is DOUBLE): with amounts in units of
-- 0.0001, 60 * cost = 60 * connect_fee + rate_per_minute * billable_s, which is then divided by 60 rounding half
-- away from zero. billable_s = initial when d <= initial, else initial + ceil((d - initial) / subsequent) *
-- subsequent. A 0 s call costs 0 (connect fee included). contract_cost is NULL when the account or its deck is
-- unknown, the zone is not an IANA zone DuckDB knows, no entry applies, or the entry cannot price the call
-- (subsequent_increment_s = 0 with d > initial).

CREATE OR REPLACE VIEW rating_entries AS
SELECT rate_plan_id, prefix, length(prefix) AS prefix_len, destination, time_band, rate_per_minute, connect_fee,
       initial_increment_s, subsequent_increment_s, effective_from, effective_to, source_file, source_line
FROM rates
WHERE rate_plan_id IS NOT NULL
  AND regexp_full_match(prefix, '[0-9]+')
  AND time_band IN ('any', 'peak', 'offpeak')
  AND effective_from IS NOT NULL;

-- Integer ids keep the per-call joins on integer keys.
CREATE OR REPLACE VIEW rating_decks AS
SELECT rate_plan_id, CAST(row_number() OVER (ORDER BY rate_plan_id) AS INTEGER) AS deck_no
FROM (SELECT DISTINCT rate_plan_id FROM rating_entries);

-- Every distinct prefix of a deck. head is the prefix as a BIGINT: unambiguous within one length, leading zeros
-- included, which is how the joins use it.
CREATE OR REPLACE VIEW rating_nodes AS
SELECT d.deck_no, n.rate_plan_id, n.prefix, n.prefix_len,
       CASE WHEN n.prefix_len <= 15 THEN CAST(n.prefix AS BIGINT) END AS head,
       row_number() OVER (ORDER BY n.rate_plan_id, n.prefix) AS node_no
FROM (SELECT DISTINCT rate_plan_id, prefix, prefix_len FROM rating_entries) n
JOIN rating_decks d USING (rate_plan_id);

CREATE OR REPLACE MACRO rating_nodes_of_length(len) AS TABLE
SELECT deck_no, head, node_no FROM rating_nodes WHERE prefix_len = len;

-- Prefixes of 16 digits or more, longest first, per deck and 16-digit head.
CREATE OR REPLACE VIEW rating_long_nodes AS
SELECT deck_no, left(prefix, 16) AS head16, list({'prefix': prefix, 'node_no': node_no} ORDER BY prefix_len DESC, prefix) AS nodes
FROM rating_nodes
WHERE prefix_len >= 16
GROUP BY deck_no, left(prefix, 16);

-- The first len digits of a number, from head15 (its first 15 digits right-padded with zeros, as a BIGINT);
-- NULL when the number has fewer than len digits.
CREATE OR REPLACE MACRO rating_number_head(head15, digit_count, len) AS (
    CASE WHEN digit_count >= len THEN head15 // CAST(rpad('1', 16 - len, '0') AS BIGINT) END);

-- The winning entry of each node, call band and period of local dates [valid_from, valid_until).
CREATE OR REPLACE VIEW rating_resolved AS
WITH candidates AS (
    SELECT n.node_no, e.*
    FROM rating_nodes n
    JOIN rating_entries e ON e.rate_plan_id = n.rate_plan_id AND starts_with(n.prefix, e.prefix)),
period_starts AS (
    SELECT node_no, effective_from AS valid_from FROM candidates
    UNION
    SELECT node_no, effective_to + 1 FROM candidates WHERE effective_to IS NOT NULL),
periods AS (
    SELECT node_no, valid_from,
           coalesce(lead(valid_from) OVER (PARTITION BY node_no ORDER BY valid_from), DATE 'infinity') AS valid_until
    FROM period_starts),
winners AS (
    SELECT p.node_no, b.is_peak, p.valid_from, p.valid_until,
           c.prefix, c.time_band, c.destination, c.rate_per_minute, c.connect_fee, c.initial_increment_s, c.subsequent_increment_s
    FROM periods p
    CROSS JOIN (VALUES (true), (false)) b(is_peak)
    JOIN candidates c ON c.node_no = p.node_no
        AND c.time_band IN ('any', CASE WHEN b.is_peak THEN 'peak' ELSE 'offpeak' END)
        AND c.effective_from <= p.valid_from AND (c.effective_to IS NULL OR p.valid_from <= c.effective_to)
    QUALIFY row_number() OVER (
        PARTITION BY p.node_no, b.is_peak, p.valid_from
        ORDER BY c.prefix_len DESC, c.time_band <> 'any' DESC, c.effective_from DESC,
                 c.source_file NULLS LAST, c.source_line NULLS LAST,
                 c.rate_per_minute, c.connect_fee, c.initial_increment_s, c.subsequent_increment_s, c.destination) = 1)
SELECT *,
       -- Prices in units of 0.0001; the connect fee times 60.
       CAST(CAST(rate_per_minute AS DECIMAL(38,4)) * 10000 AS HUGEINT) AS rate_units,
       CAST(CAST(connect_fee AS DECIMAL(38,4)) * 600000 AS HUGEINT) AS connect_units60,
       -- The same as BIGINTs when small enough that 60 * cost fits a BIGINT for any billable_s below 2^31 (the fast path).
       abs(rate_units) < 2147483648 AND abs(connect_units60) < 4611686018427387904 AS fits_bigint,
       CASE WHEN fits_bigint THEN CAST(rate_units AS BIGINT) END AS rate_units_small,
       CASE WHEN fits_bigint THEN CAST(connect_units60 AS BIGINT) END AS connect_units60_small
FROM winners;

-- One row per account (the first in its file should accounts.csv repeat one), with its deck and a zone number.
CREATE OR REPLACE VIEW rating_accounts AS
SELECT a.account_id, a.carrier, a.time_zone, a.currency, a.rate_plan_id, d.deck_no,
       CAST(dense_rank() OVER (ORDER BY a.time_zone) AS INTEGER) AS zone_no
FROM (
    SELECT account_id, carrier, time_zone, currency, rate_plan_id
    FROM accounts
    QUALIFY row_number() OVER (PARTITION BY carrier, account_id ORDER BY source_file, source_line) = 1) a
LEFT JOIN rating_decks d ON d.rate_plan_id = a.rate_plan_id;

-- The UTC offset (microseconds) of each known zone on each UTC day holding voice usage; NULL on a day with a
-- transition (the offsets at its two ends differ), whose calls are converted one by one.
CREATE OR REPLACE VIEW rating_zone_days AS
WITH days AS (
    SELECT DISTINCT CAST(make_timestamp(epoch_us(start_time)) AS DATE) AS utc_date
    FROM usage
    WHERE usage_type = 'voice' AND start_time IS NOT NULL),
zones AS (
    SELECT DISTINCT zone_no, time_zone
    FROM rating_accounts
    WHERE time_zone IN (SELECT name FROM pg_timezone_names())),
offsets AS (
    SELECT z.zone_no, d.utc_date,
           epoch_us(timezone(z.time_zone, timezone('UTC', CAST(d.utc_date AS TIMESTAMP)))) - epoch_us(CAST(d.utc_date AS TIMESTAMP)) AS at_start,
           epoch_us(timezone(z.time_zone, timezone('UTC', CAST(d.utc_date + 1 AS TIMESTAMP)))) - epoch_us(CAST(d.utc_date + 1 AS TIMESTAMP)) AS at_end
    FROM zones z
    CROSS JOIN days d)
SELECT zone_no, utc_date, CASE WHEN at_start = at_end THEN at_start END AS offset_us
FROM offsets;

-- 60 * amount in units of 0.0001, divided by 60 and rounded half away from zero (// truncates toward zero).
CREATE OR REPLACE MACRO rating_round_sixtieths(x) AS ((x + CASE WHEN x < 0 THEN -30 ELSE 30 END) // 60);

CREATE OR REPLACE VIEW rated_usage AS
WITH calls AS (
    SELECT u.*, a.time_zone, a.currency, a.deck_no AS rating_deck_no,
           CASE
               WHEN z.zone_no IS NULL THEN NULL
               WHEN z.offset_us IS NOT NULL THEN make_timestamp(epoch_us(u.start_time) + z.offset_us)
               ELSE timezone(a.time_zone, u.start_time)
           END AS local_start,
           length(u.called_digits) AS rating_digit_count,
           CASE
               WHEN length(u.called_digits) <= 15 THEN
                   TRY_CAST(u.called_digits AS BIGINT)
                   * [1000000000000000, 100000000000000, 10000000000000, 1000000000000, 100000000000, 10000000000, 1000000000,
                      100000000, 10000000, 1000000, 100000, 10000, 1000, 100, 10, 1][length(u.called_digits) + 1]
               ELSE TRY_CAST(left(u.called_digits, 15) AS BIGINT)
           END AS rating_head15
    FROM usage u
    LEFT JOIN rating_accounts a ON a.account_id = u.account_id AND a.carrier = u.carrier
    LEFT JOIN rating_zone_days z ON z.zone_no = a.zone_no AND z.utc_date = CAST(make_timestamp(epoch_us(u.start_time)) AS DATE)
    WHERE u.usage_type = 'voice'),
matched AS (
    SELECT c.*,
           CASE
               WHEN c.local_start IS NULL THEN NULL
               WHEN isodow(c.local_start) <= 5 AND hour(c.local_start) BETWEEN 8 AND 17 THEN 'peak'
               ELSE 'offpeak'
           END AS call_band,
           coalesce(
               list_filter(jl.nodes, n -> starts_with(c.called_digits, n.prefix))[1].node_no,
               j15.node_no, j14.node_no, j13.node_no, j12.node_no, j11.node_no, j10.node_no, j9.node_no, j8.node_no,
               j7.node_no, j6.node_no, j5.node_no, j4.node_no, j3.node_no, j2.node_no, j1.node_no) AS rating_node_no
    FROM calls c
    LEFT JOIN rating_nodes_of_length(1) j1 ON j1.deck_no = c.rating_deck_no AND j1.head = rating_number_head(c.rating_head15, c.rating_digit_count, 1)
    LEFT JOIN rating_nodes_of_length(2) j2 ON j2.deck_no = c.rating_deck_no AND j2.head = rating_number_head(c.rating_head15, c.rating_digit_count, 2)
    LEFT JOIN rating_nodes_of_length(3) j3 ON j3.deck_no = c.rating_deck_no AND j3.head = rating_number_head(c.rating_head15, c.rating_digit_count, 3)
    LEFT JOIN rating_nodes_of_length(4) j4 ON j4.deck_no = c.rating_deck_no AND j4.head = rating_number_head(c.rating_head15, c.rating_digit_count, 4)
    LEFT JOIN rating_nodes_of_length(5) j5 ON j5.deck_no = c.rating_deck_no AND j5.head = rating_number_head(c.rating_head15, c.rating_digit_count, 5)
    LEFT JOIN rating_nodes_of_length(6) j6 ON j6.deck_no = c.rating_deck_no AND j6.head = rating_number_head(c.rating_head15, c.rating_digit_count, 6)
    LEFT JOIN rating_nodes_of_length(7) j7 ON j7.deck_no = c.rating_deck_no AND j7.head = rating_number_head(c.rating_head15, c.rating_digit_count, 7)
    LEFT JOIN rating_nodes_of_length(8) j8 ON j8.deck_no = c.rating_deck_no AND j8.head = rating_number_head(c.rating_head15, c.rating_digit_count, 8)
    LEFT JOIN rating_nodes_of_length(9) j9 ON j9.deck_no = c.rating_deck_no AND j9.head = rating_number_head(c.rating_head15, c.rating_digit_count, 9)
    LEFT JOIN rating_nodes_of_length(10) j10 ON j10.deck_no = c.rating_deck_no AND j10.head = rating_number_head(c.rating_head15, c.rating_digit_count, 10)
    LEFT JOIN rating_nodes_of_length(11) j11 ON j11.deck_no = c.rating_deck_no AND j11.head = rating_number_head(c.rating_head15, c.rating_digit_count, 11)
    LEFT JOIN rating_nodes_of_length(12) j12 ON j12.deck_no = c.rating_deck_no AND j12.head = rating_number_head(c.rating_head15, c.rating_digit_count, 12)
    LEFT JOIN rating_nodes_of_length(13) j13 ON j13.deck_no = c.rating_deck_no AND j13.head = rating_number_head(c.rating_head15, c.rating_digit_count, 13)
    LEFT JOIN rating_nodes_of_length(14) j14 ON j14.deck_no = c.rating_deck_no AND j14.head = rating_number_head(c.rating_head15, c.rating_digit_count, 14)
    LEFT JOIN rating_nodes_of_length(15) j15 ON j15.deck_no = c.rating_deck_no AND j15.head = rating_number_head(c.rating_head15, c.rating_digit_count, 15)
    LEFT JOIN rating_long_nodes jl ON jl.deck_no = c.rating_deck_no AND jl.head16 = left(c.called_digits, 16)),
priced AS (
    SELECT m.*,
           r.prefix AS rate_prefix, r.time_band AS rate_band, r.destination AS rate_destination,
           r.rate_per_minute, r.connect_fee,
           r.rate_units AS rating_rate_units, r.connect_units60 AS rating_connect_units60,
           r.rate_units_small AS rating_rate_units_small, r.connect_units60_small AS rating_connect_units60_small,
           CASE
               WHEN r.node_no IS NULL OR m.duration_s < 0 THEN NULL
               WHEN m.duration_s = 0 THEN 0
               WHEN m.duration_s <= r.initial_increment_s THEN r.initial_increment_s
               ELSE r.initial_increment_s
                    + ((m.duration_s - r.initial_increment_s - 1) // r.subsequent_increment_s + 1) * r.subsequent_increment_s
           END AS billable_s
    FROM matched m
    LEFT JOIN rating_resolved r ON r.node_no = m.rating_node_no AND r.is_peak = (m.call_band = 'peak')
        AND CAST(m.local_start AS DATE) >= r.valid_from AND CAST(m.local_start AS DATE) < r.valid_until)
SELECT * EXCLUDE (time_zone, currency, rating_deck_no, local_start, rating_digit_count, rating_head15, call_band, rating_node_no,
                  rate_prefix, rate_band, rate_destination, rate_per_minute, connect_fee, rating_rate_units, rating_connect_units60,
                  rating_rate_units_small, rating_connect_units60_small, billable_s),
       time_zone, currency, local_start,
       strftime(CAST(local_start AS DATE), '%Y-%m') AS usage_month,
       call_band, rate_prefix, rate_band, rate_destination, rate_per_minute, connect_fee, billable_s,
       CASE
           WHEN billable_s = 0 THEN CAST(0 AS DECIMAL(18,4))
           WHEN rating_rate_units_small IS NOT NULL AND billable_s < 2147483648 THEN
               TRY_CAST(rating_round_sixtieths(rating_connect_units60_small + rating_rate_units_small * billable_s) AS DECIMAL(18,0))
               * CAST(0.0001 AS DECIMAL(5,4))
           ELSE
               TRY_CAST(rating_round_sixtieths(rating_connect_units60 + rating_rate_units * billable_s) AS DECIMAL(18,0))
               * CAST(0.0001 AS DECIMAL(5,4))
       END AS contract_cost
FROM priced;
