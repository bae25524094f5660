-- One member sends a corrected self-assessment for the latest year: {sites} new sites.
CREATE OR REPLACE TEMP TABLE new_submission AS
SELECT (SELECT max(submission_id) + 1 FROM submissions) AS submission_id, covenant, member_id,
    year, version + 1 AS version
FROM submissions WHERE is_current ORDER BY year DESC, covenant, member_id LIMIT 1;

UPDATE submissions s SET is_current = FALSE FROM new_submission n
WHERE s.covenant = n.covenant AND s.member_id = n.member_id AND s.year = n.year;

INSERT INTO submissions
SELECT submission_id, covenant, member_id, year, 'bench-new', version, TRUE, now()
FROM new_submission;

INSERT INTO answers BY NAME
SELECT submission_id, TRUE AS msi_member, TRUE AS dd_report_published,
    1.5 AS market_share_pct, TRUE AS policy_oecd, 2500.0 AS assets_total,
    2000.0 AS assets_covered
FROM new_submission;

INSERT INTO sites BY NAME
SELECT n.submission_id, i + 1 AS row_number, 'N' || i AS site_id,
    (['BD', 'CN', 'IN', 'TR', 'VN'])[1 + i % 5] AS country, 100 + i AS workers,
    i % 7 AS workers_over_60h, i % 3 = 0 AS dialogue_structure, 2 AS audits,
    1 AS audits_joint, i % 2 AS audits_public, TRUE AS disclosed
FROM new_submission n, range({sites}) r(i);

INSERT INTO materials BY NAME
SELECT n.submission_id, 1 AS row_number, 'cotton' AS material, 400.0 AS purchased_volume,
    300.0 AS certified_volume
FROM new_submission n;
