-- Synthetic warehouse for bench/kpi_engine.py, generated in DuckDB with SQL (not through xlsx).
-- {members} members spread over the covenants {covenants}; each submits every year from
-- {first} for {years} years, with {sites} production locations and 5 raw materials.
-- A hash of (row, column) gives each value, so the data is the same on every run.
CREATE OR REPLACE TEMP MACRO rnd(a, b, salt) AS (hash(a, b, salt) % 1000003) / 1000003.0;
CREATE OR REPLACE TEMP MACRO blank(value, a, b, salt) AS
    CASE WHEN rnd(a, b, salt || '?') < 0.02 THEN NULL ELSE value END;

INSERT INTO members
SELECT ([{covenants}])[1 + i % len([{covenants}])], 'M' || lpad(i::VARCHAR, 6, '0'),
    'Company ' || i, (['small', 'medium', 'large'])[1 + (hash(i, 'size') % 3)::BIGINT],
    DATE '2015-01-01', NULL, NULL
FROM range({members}) t(i);

INSERT INTO submissions
SELECT row_number() OVER (ORDER BY y, m.covenant, m.member_id), m.covenant, m.member_id, y,
    'bench', 1, TRUE, TIMESTAMP '2025-01-01 00:00:00'
FROM members m, range({first}, {first} + {years}) r(y);

INSERT INTO answers BY NAME
SELECT submission_id,
    blank(rnd(submission_id, 1, 'msi') < 0.3 + 0.05 * (year - {first}), submission_id, 1, 'msi')
        AS msi_member,
    rnd(submission_id, 2, 'dd') < 0.5 AS dd_report_published,
    blank(round(rnd(submission_id, 3, 'ms') * 2, 2), submission_id, 3, 'ms') AS market_share_pct,
    blank(rnd(submission_id, 4, 'pol') < 0.6, submission_id, 4, 'pol') AS policy_oecd,
    round(100 + rnd(submission_id, 5, 'at') * 5000, 1) AS assets_total,
    round((100 + rnd(submission_id, 5, 'at') * 5000) * rnd(submission_id, 6, 'ac'), 1)
        AS assets_covered
FROM submissions;

INSERT INTO sites BY NAME
SELECT submission_id, row_number, 'S' || row_number AS site_id, country, workers,
    blank((workers * 0.2 * rnd(submission_id, row_number, 'over'))::BIGINT, submission_id,
          row_number, 'over') AS workers_over_60h,
    blank(rnd(submission_id, row_number, 'dia') < 0.4, submission_id, row_number, 'dia')
        AS dialogue_structure,
    audits, (audits * rnd(submission_id, row_number, 'joint'))::BIGINT AS audits_joint,
    (audits * rnd(submission_id, row_number, 'pub'))::BIGINT AS audits_public,
    rnd(submission_id, row_number, 'disc') < 0.7 AS disclosed
FROM (
    SELECT s.submission_id, i + 1 AS row_number,
        -- 40 countries, a few large and a long tail
        (['BD', 'CN', 'IN', 'TR', 'VN', 'PK', 'KH', 'MM', 'ID', 'LK', 'ET', 'MA', 'TN', 'EG',
          'PT', 'IT', 'RO', 'BG', 'MK', 'AL', 'UA', 'MX', 'BR', 'PE', 'CO', 'GH', 'CI', 'KE',
          'TZ', 'ZA', 'PH', 'TH', 'MY', 'JO', 'MG', 'MU', 'NP', 'LA', 'HN', 'GT'])[
            1 + floor(40 * pow(rnd(s.submission_id, i, 'country'), 2))::BIGINT] AS country,
        blank(20 + (hash(s.submission_id, i, 'workers') % 2000)::BIGINT, s.submission_id, i,
              'workers') AS workers,
        (hash(s.submission_id, i, 'audits') % 5)::BIGINT AS audits
    FROM submissions s, range({sites}) r(i)
);

INSERT INTO materials BY NAME
SELECT s.submission_id, i + 1 AS row_number,
    (['cotton', 'wool', 'polyester', 'viscose', 'leather', 'gold', 'timber', 'soy'])[
        1 + ((s.submission_id + i) % 8)::BIGINT] AS material,
    round(1 + rnd(s.submission_id, i, 'bought') * 900, 1) AS purchased_volume,
    blank(round((1 + rnd(s.submission_id, i, 'bought') * 900)
                * rnd(s.submission_id, i, 'cert'), 1), s.submission_id, i, 'cert')
        AS certified_volume
FROM submissions s, range(5) r(i);
