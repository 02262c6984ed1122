-- Contract rerating: rated_usage is every voice usage record with the price its account's rate deck gives it
-- (formats.md, "rates.csv" and "Rating"). The rule rate_overcharge compares it with billed_amount.
--
-- Runs as one script on a connection holding the lake views usage, accounts and rates and the macro
-- tem_phone_digits (usage.called_digits). It defines views and macros only (rating_*, rated_usage), so every query
-- sees the lake as it is then. It must price exactly as Tem.Core.Rating.ReferenceRater does; a seeded differential
-- test (tests/Tem.Audit.Tests/Rating) holds it to that.
--
-- Columns: every column of usage (voice records only, each exactly once, priced or not), then time_zone and
-- currency (the account's), local_start (TIMESTAMP: the start's wall-clock time in the account's zone), usage_month
-- ('YYYY-MM' of local_start: the billing month of the record), call_band ('peak' or 'offpeak'), the entry used
-- (rate_prefix, rate_band, rate_destination, rate_per_minute, connect_fee), billable_s (seconds after the entry's
-- increments) and contract_cost (DECIMAL(18,4) in the account's currency, rounded half away from zero).
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
--    Longest-prefix match by controlled prefix expansion: the prefixes of 1-4, 5-7 and 8-10 digits are each
--    expanded to every digit string up to the level's longest length that they start (44 at level 1-4 becomes
--    44, 440..449 and 4400..4499; a longer prefix of the level overrides a shorter one on the strings it starts).
--    A call then needs one integer equi-join per level, on the first 4, 7 or 10 digits of its number (or all of
--    them when it is shorter), and the longest level that matches wins. Prefixes of more than 10 digits (rare:
--    E.164 numbers have at most 15) are kept as a short list per first 10 digits and tested with starts_with.
--    A level the deck does not use is an empty join and nearly free.
-- 2. rating_resolved: for every node, band and date period in which the candidates do not change, the winning
--    entry, decided once per deck rather than once per call. One more equi-join (node, band) with the call's local
--    date inside the period picks it; the periods are disjoint, so a call gets at most one row.
-- 3. Local time: the zone offset of each (zone, UTC day) is computed once; a call on a day without a transition
--    adds it, a call on a day with a transition is converted by ICU directly. (ICU with a zone that varies by row
--    costs microseconds per call; a zone changing its offset and back within one UTC day would be missed, and
--    none does.)
--
-- Price. Exact integer arithmetic, never DOUBLE (DuckDB's DECIMAL / INTEGER is DOUBLE): with amounts in units of
-- 0.0001, 60 * cost = 60 * connect_fee + rate_per_minute * billable_s, which is then divided by 60 rounding half
-- away from zero. billable_s = initial when d <= initial, else initial + ceil((d - initial) / subsequent) *
-- subsequent. A 0 s call costs 0 (connect fee included). contract_cost is NULL when the account or its deck is
-- unknown or not usable (below), the zone is not an IANA zone DuckDB knows, no entry applies, or the entry cannot
-- price the call (subsequent_increment_s = 0 with d > initial).
--
-- Rate groups, band split, rounding (formats.md, "Rating"; optional rates columns from_second, band_split, rounding,
-- rounding_decimals). Only rows at from_second 0 take part in matching; the winner carries its group's rows as a
-- list. A deck that uses none of them is priced as above, so its numbers do not change. An extended deck's calls take
-- the parts path, still one row per call with list functions, no per-call query: the band changes inside the call
-- (local 08:00 / 18:00 on weekdays, each converted to an instant in the zone), the band parts with the winning
-- group of their band (the other band's winner is one more join on rating_resolved), each cut at its group's
-- from_second values, then a fold (list_reduce) that bills the parts in order from elapsed second 0, each from where
-- the previous part's increments ended, and accumulates 60 * cost in units of 0.0001 as HUGEINT. The cost is
-- rounded once on the whole call to the deck's decimals: middle half away from zero, up the ceiling, down the floor.

-- Every usable row of every deck, rate-group rows (from_second > 0) included.
CREATE OR REPLACE VIEW rating_rows AS
SELECT rate_plan_id, prefix, length(prefix) AS prefix_len, destination, time_band, rate_per_minute, connect_fee,
       initial_increment_s, subsequent_increment_s, effective_from, effective_to, coalesce(from_second, 0) AS from_second,
       band_split, rounding, rounding_decimals, source_file, source_line
FROM rates
WHERE rate_plan_id IS NOT NULL
  AND regexp_full_match(prefix, '[0-9]+')
  AND time_band IN ('any', 'peak', 'offpeak')
  AND effective_from IS NOT NULL;

-- The rows that take part in matching: a rate group's row at second 0 stands for its group.
CREATE OR REPLACE VIEW rating_entries AS
SELECT * EXCLUDE (from_second, band_split, rounding, rounding_decimals)
FROM rating_rows
WHERE from_second = 0;

-- Integer ids keep the per-call joins on integer keys. A deck's settings are the values its rows give (empty = unset);
-- a deck whose rows disagree, or that sets rounding_decimals above 4, or has a group without its row at second 0,
-- is not usable: its calls are not priced, as for an unknown deck. extended: the deck uses groups, band split or a
-- rounding other than half away from zero to 4 places, and is priced by the parts path below.
CREATE OR REPLACE VIEW rating_decks AS
WITH settings AS (
    SELECT rate_plan_id,
           coalesce(bool_or(band_split), false) AS band_split,
           coalesce(any_value(rounding), 'middle') AS rounding,
           CAST(coalesce(any_value(rounding_decimals), 4) AS INTEGER) AS rounding_decimals,
           count(DISTINCT band_split) <= 1 AND count(DISTINCT rounding) <= 1 AND count(DISTINCT rounding_decimals) <= 1
               AND coalesce(max(rounding_decimals), 0) <= 4 AS settings_ok,
           max(from_second) > 0 AS has_groups,
           count(DISTINCT band_split) AS band_split_values, count(DISTINCT rounding) AS rounding_values,
           count(DISTINCT rounding_decimals) AS decimals_values,
           string_agg(DISTINCT CAST(band_split AS VARCHAR), ' vs ' ORDER BY CAST(band_split AS VARCHAR)) AS band_split_list,
           string_agg(DISTINCT rounding, ' vs ' ORDER BY rounding) AS rounding_list,
           string_agg(DISTINCT CAST(rounding_decimals AS VARCHAR), ' vs ' ORDER BY CAST(rounding_decimals AS VARCHAR)) AS decimals_list
    FROM rating_rows
    GROUP BY rate_plan_id),
orphans AS (
    SELECT DISTINCT rate_plan_id
    FROM rating_rows
    GROUP BY rate_plan_id, prefix, time_band, effective_from, effective_to
    HAVING min(from_second) > 0)
SELECT s.rate_plan_id, CAST(row_number() OVER (ORDER BY s.rate_plan_id) AS INTEGER) AS deck_no,
       s.band_split, s.rounding, s.rounding_decimals,
       s.settings_ok AND o.rate_plan_id IS NULL AS deck_ok,
       s.band_split OR s.has_groups OR s.rounding <> 'middle' OR s.rounding_decimals <> 4 AS extended,
       -- Why a deck is not usable, for the audit's not-judged line (NULL when it is usable).
       CASE
           WHEN s.band_split_values > 1 THEN 'its rows disagree on band_split: ' || s.band_split_list
           WHEN s.rounding_values > 1 THEN 'its rows disagree on rounding: ' || s.rounding_list
           WHEN s.decimals_values > 1 THEN 'its rows disagree on rounding_decimals: ' || s.decimals_list
           WHEN NOT s.settings_ok THEN 'rounding_decimals ' || s.decimals_list || ' above 4'
           WHEN o.rate_plan_id IS NOT NULL THEN 'a rate group has no row at from_second 0'
       END AS problem
FROM settings s
LEFT JOIN orphans o USING (rate_plan_id);

-- Every distinct prefix of a deck.
CREATE OR REPLACE VIEW rating_nodes AS
SELECT d.deck_no, n.rate_plan_id, n.prefix, n.prefix_len,
       row_number() OVER (ORDER BY n.rate_plan_id, n.prefix) AS node_no
FROM (SELECT DISTINCT rate_plan_id, prefix, prefix_len FROM rating_entries) n
JOIN rating_decks d USING (rate_plan_id);

-- A digit string as an integer key: its value and its length (16 * value + length), so that 044 and 44 differ.
CREATE OR REPLACE MACRO rating_digits_key(value, len) AS (value * 16 + len);

-- Every digit string of 0 to 3 digits: what a prefix is expanded with.
CREATE OR REPLACE VIEW rating_suffixes AS
SELECT CASE WHEN n = 0 THEN '' ELSE lpad(CAST(i AS VARCHAR), CAST(n AS INTEGER), '0') END AS suffix
FROM (SELECT n, unnest(range([1, 10, 100, 1000][n + 1])) AS i FROM range(4) t(n));

-- Level [shortest, longest] of the expansion: for each digit string of up to longest digits that a prefix of the
-- level starts, the longest such prefix.
CREATE OR REPLACE MACRO rating_level(shortest, longest) AS TABLE
SELECT n.deck_no, rating_digits_key(CAST(n.prefix || s.suffix AS BIGINT), length(n.prefix || s.suffix)) AS digits_key,
       max_by(n.node_no, n.prefix_len) AS node_no
FROM rating_nodes n
JOIN rating_suffixes s ON length(s.suffix) <= longest - n.prefix_len
WHERE n.prefix_len BETWEEN shortest AND longest
GROUP BY n.deck_no, digits_key;

-- A number's key at level [shortest, longest]: its first longest digits, or all of them when it has fewer; NULL
-- when it is shorter than the level's prefixes. head10 is the number's first 10 digits, right-padded with zeros.
CREATE OR REPLACE MACRO rating_number_key(head10, digit_count, shortest, longest) AS (
    CASE WHEN digit_count >= shortest THEN
        rating_digits_key(
            head10 // [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000][11 - least(digit_count, longest)],
            least(digit_count, longest))
    END);

-- Prefixes of more than 10 digits, longest first, per deck and first 10 digits.
CREATE OR REPLACE VIEW rating_long_nodes AS
SELECT deck_no, CAST(left(prefix, 10) AS BIGINT) AS head10,
       list({'prefix': prefix, 'node_no': node_no} ORDER BY prefix_len DESC, prefix) AS nodes
FROM rating_nodes
WHERE prefix_len > 10
GROUP BY deck_no, CAST(left(prefix, 10) AS BIGINT);

-- The winning entry of each node, call band and period of local dates [valid_from, valid_until).
CREATE OR REPLACE VIEW rating_resolved AS
WITH node_heads AS (
    -- Each node with each of its own prefixes (4477: 4, 44, 447, 4477), to find its candidates with an equi-join.
    SELECT node_no, rate_plan_id, left(prefix, head_len) AS head
    FROM (SELECT *, unnest(range(1, prefix_len + 1)) AS head_len FROM rating_nodes)),
candidates AS (
    SELECT h.node_no, e.*
    FROM node_heads h
    JOIN rating_entries e ON e.rate_plan_id = h.rate_plan_id AND e.prefix = h.head),
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
           c.prefix, c.time_band, c.destination, c.rate_per_minute, c.connect_fee, c.initial_increment_s, c.subsequent_increment_s,
           c.rate_plan_id AS group_plan, c.effective_from AS group_from, c.effective_to AS group_to
    FROM periods p
    CROSS JOIN (VALUES (true), (false)) b(is_peak)
    JOIN candidates c ON c.node_no = p.node_no
        AND c.time_band IN ('any', CASE WHEN b.is_peak THEN 'peak' ELSE 'offpeak' END)
        AND c.effective_from <= p.valid_from AND (c.effective_to IS NULL OR p.valid_from <= c.effective_to)
    QUALIFY row_number() OVER (
        PARTITION BY p.node_no, b.is_peak, p.valid_from
        ORDER BY c.prefix_len DESC, c.time_band <> 'any' DESC, c.effective_from DESC,
                 c.source_file NULLS LAST, c.source_line NULLS LAST,
                 c.rate_per_minute, c.connect_fee, c.initial_increment_s, c.subsequent_increment_s, c.destination) = 1),
-- Each rate group (prefix, band and validity of a deck): its rows by from_second, the first in the deck for a repeated one.
groups AS (
    SELECT rate_plan_id, prefix, time_band, effective_from, effective_to,
           list({'from_second': from_second, 'rate_units': CAST(CAST(rate_per_minute AS DECIMAL(38,4)) * 10000 AS HUGEINT),
                 'initial': initial_increment_s, 'subsequent': subsequent_increment_s} ORDER BY from_second) AS group_rows
    FROM (
        SELECT *
        FROM rating_rows
        QUALIFY row_number() OVER (PARTITION BY rate_plan_id, prefix, time_band, effective_from, effective_to, from_second
                                   ORDER BY source_file NULLS LAST, source_line NULLS LAST) = 1)
    GROUP BY rate_plan_id, prefix, time_band, effective_from, effective_to)
SELECT w.* EXCLUDE (group_plan, group_from, group_to), g.group_rows,
       -- Prices in units of 0.0001; the connect fee times 60.
       CAST(CAST(rate_per_minute AS DECIMAL(38,4)) * 10000 AS HUGEINT) AS rate_units,
       CAST(CAST(connect_fee AS DECIMAL(38,4)) * 600000 AS HUGEINT) AS connect_units60,
       -- The same as BIGINTs when small enough that 60 * cost fits a BIGINT for any billable_s below 2^31 (the fast path).
       abs(rate_units) < 2147483648 AND abs(connect_units60) < 4611686018427387904 AS fits_bigint,
       CASE WHEN fits_bigint THEN CAST(rate_units AS BIGINT) END AS rate_units_small,
       CASE WHEN fits_bigint THEN CAST(connect_units60 AS BIGINT) END AS connect_units60_small
FROM winners w
LEFT JOIN groups g ON g.rate_plan_id = w.group_plan AND g.prefix = w.prefix AND g.time_band = w.time_band
    AND g.effective_from = w.group_from AND g.effective_to IS NOT DISTINCT FROM w.group_to;

-- One row per account (the first in its file should accounts.csv repeat one), with its deck and a zone number.
CREATE OR REPLACE VIEW rating_accounts AS
SELECT a.account_id, a.carrier, a.time_zone, a.currency, a.rate_plan_id, CASE WHEN d.deck_ok THEN d.deck_no END AS deck_no,
       d.extended AS deck_extended, d.band_split AS deck_band_split, d.rounding AS deck_rounding, d.rounding_decimals AS deck_decimals,
       CAST(dense_rank() OVER (ORDER BY a.time_zone) AS INTEGER) AS zone_no
FROM (
    SELECT account_id, carrier, time_zone, currency, rate_plan_id
    FROM accounts
    QUALIFY row_number() OVER (PARTITION BY carrier, account_id ORDER BY source_file, source_line) = 1) a
LEFT JOIN rating_decks d ON d.rate_plan_id = a.rate_plan_id;

-- The UTC offset (microseconds) of each known zone on each UTC day from the first to the last voice record; NULL on a
-- day with a transition (the offsets at its two ends differ), whose calls are converted one by one. The span is two
-- aggregates (the lake's Parquet statistics answer them) rather than the distinct days of millions of calls, and the
-- days are one list unnested: estimated as few rows, so the per-call join builds its hash table on them, not the calls.
CREATE OR REPLACE VIEW rating_zone_days AS
WITH span AS (
    SELECT CAST(make_timestamp(epoch_us(min(start_time))) AS DATE) AS first_day, CAST(make_timestamp(epoch_us(max(start_time))) AS DATE) AS last_day
    FROM usage
    WHERE usage_type = 'voice'),
days AS (
    SELECT CAST(unnest(range(CAST(first_day AS TIMESTAMP), CAST(last_day AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY)) AS DATE) AS utc_date
    FROM span
    WHERE first_day IS NOT NULL),
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

-- The band changes within a call of duration_s seconds starting at start_time (local_start in zone): every local 08:00
-- (to peak) and 18:00 (to offpeak) on Monday to Friday, as an instant in the zone, strictly after the start; at is
-- its elapsed second rounded up, kept while below duration_s. Ordered by at.
CREATE OR REPLACE MACRO rating_band_changes(zone, start_time, local_start, duration_s) AS (
    list_sort(list_transform(
        list_filter(
            list_transform(
                flatten(list_transform(
                    range(0, CAST(date_diff('day', CAST(local_start AS DATE),
                                            CAST(timezone(zone, start_time + to_seconds(CAST(duration_s AS BIGINT))) AS DATE)) AS BIGINT) + 1),
                    i -> [{'day': CAST(local_start AS DATE) + CAST(i AS INTEGER), 'hour': 8},
                          {'day': CAST(local_start AS DATE) + CAST(i AS INTEGER), 'hour': 18}])),
                x -> {'us': epoch_us(timezone(zone, CAST(x.day AS TIMESTAMP) + to_hours(x.hour))) - epoch_us(start_time),
                      'peak': x.hour = 8, 'weekday': isodow(x.day) <= 5}),
            y -> y.weekday AND y.us > 0 AND (y.us + 999999) // 1000000 < duration_s),
        z -> {'at': CAST((z.us + 999999) // 1000000 AS BIGINT), 'peak': z.peak})));

-- The parts of a call: band parts [from, to) (cut at the changes; the start band's group rows, or the other band's),
-- each cut at its group's from_second values; each part carries the row that prices it.
CREATE OR REPLACE MACRO rating_parts(changes, start_peak, start_rows, other_rows, duration_s) AS (
    flatten(list_transform(
        list_transform(
            range(1, len(changes) + 2),
            k -> {'lo': CASE WHEN k = 1 THEN 0 ELSE changes[k - 1].at END,
                  'hi': CASE WHEN k > len(changes) THEN CAST(duration_s AS BIGINT) ELSE changes[k].at END,
                  'rows': CASE WHEN (CASE WHEN k = 1 THEN start_peak ELSE changes[k - 1].peak END) = start_peak
                               THEN start_rows ELSE other_rows END}),
        bp -> list_filter(
            list_transform(
                range(1, len(bp.rows) + 1),
                i -> {'a': greatest(bp.lo, bp.rows[i].from_second),
                      'b': CASE WHEN i < len(bp.rows) THEN least(bp.hi, bp.rows[i + 1].from_second) ELSE bp.hi END,
                      'rate_units': bp.rows[i].rate_units, 'initial': bp.rows[i].initial, 'subsequent': bp.rows[i].subsequent}),
            q -> q.a < q.b))));

-- Bills the parts in order from elapsed second pos = 0: a part [a, b) with pos < b bills b - pos seconds rounded up with
-- its increments (the initial one for the first), at its rate; pos moves to the end of what it billed. cost60 is 60
-- times the cost in units of 0.0001, connect fee included.
CREATE OR REPLACE MACRO rating_fold_state(a, b, rate_units, initial, subsequent, pos, billed, cost60) AS (
    {'a': CAST(a AS BIGINT), 'b': CAST(b AS BIGINT), 'rate_units': CAST(rate_units AS HUGEINT), 'initial': CAST(initial AS BIGINT),
     'subsequent': CAST(subsequent AS BIGINT), 'pos': CAST(pos AS BIGINT), 'billed': CAST(billed AS BIGINT), 'cost60': CAST(cost60 AS HUGEINT)});

-- The accumulator has the parts' own type (list_reduce keeps one type), led by a seed holding the connect fee.
CREATE OR REPLACE MACRO rating_fold(parts, connect_units60) AS (
    list_reduce(
        list_prepend(
            rating_fold_state(0, 0, 0, 0, 1, 0, 0, connect_units60),
            list_transform(parts, p -> rating_fold_state(p.a, p.b, p.rate_units, p.initial, p.subsequent, 0, 0, 0))),
        (acc, q) -> CASE WHEN acc.pos >= q.b THEN acc
                         ELSE rating_fold_state(q.a, q.b, q.rate_units, q.initial, q.subsequent,
                                                acc.pos + (CASE WHEN acc.pos = 0 AND q.b <= q.initial THEN q.initial WHEN acc.pos = 0 THEN q.initial + ((q.b - q.initial - 1) // q.subsequent + 1) * q.subsequent ELSE ((q.b - acc.pos - 1) // q.subsequent + 1) * q.subsequent END), acc.billed + (CASE WHEN acc.pos = 0 AND q.b <= q.initial THEN q.initial WHEN acc.pos = 0 THEN q.initial + ((q.b - q.initial - 1) // q.subsequent + 1) * q.subsequent ELSE ((q.b - acc.pos - 1) // q.subsequent + 1) * q.subsequent END),
                                                acc.cost60 + q.rate_units * (CASE WHEN acc.pos = 0 AND q.b <= q.initial THEN q.initial WHEN acc.pos = 0 THEN q.initial + ((q.b - q.initial - 1) // q.subsequent + 1) * q.subsequent ELSE ((q.b - acc.pos - 1) // q.subsequent + 1) * q.subsequent END)) END));

-- cost60 (60 times an amount in units of 0.0001, not negative) as DECIMAL(18,4) rounded to decimals places: middle is
-- half away from zero, up the ceiling, down the floor.
CREATE OR REPLACE MACRO rating_round_units(cost60, decimals, mode) AS (
    TRY_CAST(
        (CASE mode
             WHEN 'up' THEN cost60 + 60 * CAST([10000, 1000, 100, 10, 1][decimals + 1] AS HUGEINT) - 1
             WHEN 'down' THEN cost60
             ELSE cost60 + 30 * CAST([10000, 1000, 100, 10, 1][decimals + 1] AS HUGEINT)
         END // (60 * CAST([10000, 1000, 100, 10, 1][decimals + 1] AS HUGEINT))) * CAST([10000, 1000, 100, 10, 1][decimals + 1] AS HUGEINT)
        AS DECIMAL(18,0))
    * CAST(0.0001 AS DECIMAL(5,4)));

CREATE OR REPLACE VIEW rated_usage AS
WITH calls AS (
    SELECT u.*, a.time_zone, a.currency, a.deck_no AS rating_deck_no,
           coalesce(a.deck_extended, false) AS rating_extended, coalesce(a.deck_band_split, false) AS rating_split,
           a.deck_rounding AS rating_rounding, a.deck_decimals AS rating_decimals,
           CASE
               WHEN z.zone_no IS NULL THEN NULL
               WHEN z.offset_us IS NOT NULL THEN make_timestamp(epoch_us(u.start_time) + z.offset_us)
               ELSE timezone(a.time_zone, u.start_time)
           END AS local_start,
           length(u.called_digits) AS rating_digit_count,
           CASE
               WHEN length(u.called_digits) <= 10 THEN
                   TRY_CAST(u.called_digits AS BIGINT) * [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
                                                         10000000000][11 - length(u.called_digits)]
               WHEN length(u.called_digits) <= 18 THEN
                   TRY_CAST(u.called_digits AS BIGINT) // [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000][length(u.called_digits) - 9]
               ELSE TRY_CAST(left(u.called_digits, 10) AS BIGINT)
           END AS rating_head10
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
               l3.node_no, l2.node_no, l1.node_no) AS rating_node_no
    FROM calls c
    LEFT JOIN rating_level(1, 4) l1 ON l1.deck_no = c.rating_deck_no
        AND l1.digits_key = rating_number_key(c.rating_head10, c.rating_digit_count, 1, 4)
    LEFT JOIN rating_level(5, 7) l2 ON l2.deck_no = c.rating_deck_no
        AND l2.digits_key = rating_number_key(c.rating_head10, c.rating_digit_count, 5, 7)
    LEFT JOIN rating_level(8, 10) l3 ON l3.deck_no = c.rating_deck_no
        AND l3.digits_key = rating_number_key(c.rating_head10, c.rating_digit_count, 8, 10)
    LEFT JOIN rating_long_nodes jl ON jl.deck_no = c.rating_deck_no
        AND jl.head10 = CASE WHEN c.rating_digit_count > 10 THEN c.rating_head10 END),
priced AS (
    SELECT m.*,
           r.prefix AS rate_prefix, r.time_band AS rate_band, r.destination AS rate_destination,
           r.rate_per_minute, r.connect_fee,
           r.rate_units AS rating_rate_units, r.connect_units60 AS rating_connect_units60,
           r.rate_units_small AS rating_rate_units_small, r.connect_units60_small AS rating_connect_units60_small,
           CASE WHEN m.rating_extended THEN r.group_rows END AS rating_group_rows,
           CASE
               WHEN r.node_no IS NULL OR m.duration_s < 0 THEN NULL
               WHEN m.duration_s = 0 THEN 0
               WHEN m.duration_s <= r.initial_increment_s THEN r.initial_increment_s
               ELSE r.initial_increment_s
                    + ((m.duration_s - r.initial_increment_s - 1) // r.subsequent_increment_s + 1) * r.subsequent_increment_s
           END AS billable_s
    FROM matched m
    LEFT JOIN rating_resolved r ON r.node_no = m.rating_node_no AND r.is_peak = (m.call_band = 'peak')
        AND CAST(m.local_start AS DATE) >= r.valid_from AND CAST(m.local_start AS DATE) < r.valid_until),
-- The parts path, for calls of extended decks only: the band changes within the call, then its parts and their fold.
split AS (
    SELECT p.*,
           CASE WHEN p.rating_extended AND p.rate_prefix IS NOT NULL AND p.duration_s > 0 THEN
               rating_parts(
                   CASE WHEN p.rating_split THEN rating_band_changes(p.time_zone, p.start_time, p.local_start, p.duration_s) ELSE [] END,
                   p.call_band = 'peak', p.rating_group_rows, coalesce(o.group_rows, p.rating_group_rows), p.duration_s)
           END AS rating_part_list
    FROM priced p
    -- The key is NULL for every other call, so the legacy decks' calls find nothing here at no cost.
    LEFT JOIN rating_resolved o
        ON o.node_no = CASE WHEN p.rating_extended AND p.rating_split AND p.rate_prefix IS NOT NULL THEN p.rating_node_no END
        AND o.is_peak = (p.call_band <> 'peak')
        AND CAST(p.local_start AS DATE) >= o.valid_from AND CAST(p.local_start AS DATE) < o.valid_until),
folded AS (
    SELECT s.*,
           CASE WHEN s.rating_part_list IS NOT NULL THEN rating_fold(s.rating_part_list, s.rating_connect_units60) END AS rating_total
    FROM split s)
SELECT * EXCLUDE (time_zone, currency, rating_deck_no, rating_extended, rating_split, rating_rounding, rating_decimals,
                  local_start, rating_digit_count, rating_head10, call_band, rating_node_no,
                  rate_prefix, rate_band, rate_destination, rate_per_minute, connect_fee, rating_rate_units, rating_connect_units60,
                  rating_rate_units_small, rating_connect_units60_small, rating_group_rows, billable_s, rating_part_list, rating_total),
       time_zone, currency, local_start,
       strftime(CAST(local_start AS DATE), '%Y-%m') AS usage_month,
       call_band, rate_prefix, rate_band, rate_destination, rate_per_minute, connect_fee,
       CASE WHEN rating_total IS NOT NULL THEN rating_total.billed ELSE billable_s END AS billable_s,
       CASE
           WHEN billable_s = 0 THEN CAST(0 AS DECIMAL(18,4))
           WHEN rating_total IS NOT NULL THEN rating_round_units(rating_total.cost60, rating_decimals, rating_rounding)
           WHEN rating_rate_units_small IS NOT NULL AND billable_s < 2147483648 THEN
               TRY_CAST(rating_round_sixtieths(rating_connect_units60_small + rating_rate_units_small * billable_s) AS DECIMAL(18,0))
               * CAST(0.0001 AS DECIMAL(5,4))
           ELSE
               TRY_CAST(rating_round_sixtieths(rating_connect_units60 + rating_rate_units * billable_s) AS DECIMAL(18,0))
               * CAST(0.0001 AS DECIMAL(5,4))
       END AS contract_cost
FROM folded;
