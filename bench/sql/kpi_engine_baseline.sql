-- The same aggregates as the KPI engine, written by hand as one query: per covenant, year and
-- breakdown category, each KPI's numerator (_n), denominator (_d), contributing members (_c)
-- and, for volume-weighted KPIs, the 2 largest member contributions (_tn, _td).
-- A ratio of sums only counts rows where both of its fields are answered.
CREATE OR REPLACE TEMP TABLE baseline AS
WITH cur AS (
    SELECT s.submission_id, s.covenant, s.year, s.member_id, m.size_class
    FROM submissions s JOIN members m USING (covenant, member_id) WHERE s.is_current
), company AS (
    SELECT c.covenant, c.year, c.member_id, c.size_class,
        a.market_share_pct AS mc_n, a.market_share_pct IS NOT NULL AS mc_b,
        a.msi_member::INTEGER AS msi_n, a.msi_member IS NOT NULL AS msi_b,
        a.dd_report_published::INTEGER AS dd_n, a.dd_report_published IS NOT NULL AS dd_b,
        a.policy_oecd::INTEGER AS pol_n, a.policy_oecd IS NOT NULL AS pol_b,
        CASE WHEN a.policy_oecd THEN a.assets_total ELSE 0 END AS pas_n, a.assets_total AS pas_d,
        a.policy_oecd IS NOT NULL AND a.assets_total IS NOT NULL AS pas_b,
        a.assets_covered AS acs_n, a.assets_total AS acs_d,
        a.assets_covered IS NOT NULL AND a.assets_total IS NOT NULL AS acs_b
    FROM cur c JOIN answers a USING (submission_id)
), company_cells AS (
    SELECT covenant, year, CASE WHEN GROUPING(size_class) = 1 THEN 'total' ELSE 'size_class'
        END AS breakdown, coalesce(size_class, 'total') AS category,
        sum(mc_n) AS mc_n, count(*) FILTER (WHERE mc_b) AS mc_c, max(mc_n, 2) AS mc_tn,
        sum(msi_n) FILTER (WHERE msi_b) AS msi_n, count(*) FILTER (WHERE msi_b) AS msi_d,
        count(*) FILTER (WHERE msi_b) AS msi_c,
        sum(dd_n) FILTER (WHERE dd_b) AS dd_n, count(*) FILTER (WHERE dd_b) AS dd_c,
        sum(pol_n) FILTER (WHERE pol_b) AS pol_n, count(*) FILTER (WHERE pol_b) AS pol_d,
        count(*) FILTER (WHERE pol_b) AS pol_c,
        sum(pas_n) FILTER (WHERE pas_b) AS pas_n, sum(pas_d) FILTER (WHERE pas_b) AS pas_d,
        count(*) FILTER (WHERE pas_b) AS pas_c, max(pas_n, 2) FILTER (WHERE pas_b) AS pas_tn,
        max(pas_d, 2) FILTER (WHERE pas_b) AS pas_td,
        sum(acs_n) FILTER (WHERE acs_b) AS acs_n, sum(acs_d) FILTER (WHERE acs_b) AS acs_d,
        count(*) FILTER (WHERE acs_b) AS acs_c, max(acs_n, 2) FILTER (WHERE acs_b) AS acs_tn,
        max(acs_d, 2) FILTER (WHERE acs_b) AS acs_td
    FROM company GROUP BY GROUPING SETS ((covenant, year), (covenant, year, size_class))
), site_member AS (  -- per member and country
    SELECT c.covenant, c.year, c.member_id, c.size_class,
        coalesce(t.country, 'unknown') AS country,
        sum(t.workers_over_60h) FILTER (WHERE t.workers IS NOT NULL
            AND t.workers_over_60h IS NOT NULL) AS eh_n,
        sum(t.workers) FILTER (WHERE t.workers IS NOT NULL
            AND t.workers_over_60h IS NOT NULL) AS eh_d,
        bool_or(t.workers IS NOT NULL AND t.workers_over_60h IS NOT NULL) AS eh_b,
        count(*) FILTER (WHERE t.dialogue_structure) AS ds_n,
        bool_or(t.dialogue_structure IS NOT NULL) AS ds_b,
        sum(t.audits_joint) FILTER (WHERE t.audits IS NOT NULL
            AND t.audits_joint IS NOT NULL) AS ja_n,
        sum(t.audits) FILTER (WHERE t.audits IS NOT NULL AND t.audits_joint IS NOT NULL) AS ja_d,
        bool_or(t.audits IS NOT NULL AND t.audits_joint IS NOT NULL) AS ja_b,
        sum(t.audits_public) FILTER (WHERE t.audits IS NOT NULL
            AND t.audits_public IS NOT NULL) AS pa_n,
        sum(t.audits) FILTER (WHERE t.audits IS NOT NULL AND t.audits_public IS NOT NULL)
            AS pa_d,
        bool_or(t.audits IS NOT NULL AND t.audits_public IS NOT NULL) AS pa_b,
        count(*) FILTER (WHERE t.disclosed) AS pl_n, bool_or(t.disclosed IS NOT NULL) AS pl_b
    FROM cur c JOIN sites t USING (submission_id) GROUP BY ALL
), site_total AS (  -- per member over all its countries
    SELECT covenant, year, member_id, size_class, sum(eh_n) AS eh_n, sum(eh_d) AS eh_d,
        bool_or(eh_b) AS eh_b, sum(ds_n) AS ds_n, bool_or(ds_b) AS ds_b, sum(ja_n) AS ja_n,
        sum(ja_d) AS ja_d, bool_or(ja_b) AS ja_b, sum(pa_n) AS pa_n, sum(pa_d) AS pa_d,
        bool_or(pa_b) AS pa_b, sum(pl_n) AS pl_n, bool_or(pl_b) AS pl_b
    FROM site_member GROUP BY ALL
), site_cells AS (
    SELECT covenant, year, 'country' AS breakdown, country AS category,
        sum(eh_n) AS eh_n, sum(eh_d) AS eh_d, count(*) FILTER (WHERE eh_b) AS eh_c,
        max(eh_n, 2) AS eh_tn, max(eh_d, 2) AS eh_td,
        sum(ds_n) AS ds_n, count(*) FILTER (WHERE ds_b) AS ds_c, max(ds_n, 2) AS ds_tn,
        sum(ja_n) AS ja_n, sum(ja_d) AS ja_d, count(*) FILTER (WHERE ja_b) AS ja_c,
        max(ja_n, 2) AS ja_tn, max(ja_d, 2) AS ja_td,
        sum(pa_n) AS pa_n, sum(pa_d) AS pa_d, count(*) FILTER (WHERE pa_b) AS pa_c,
        max(pa_n, 2) AS pa_tn, max(pa_d, 2) AS pa_td,
        sum(pl_n) AS pl_n, count(*) FILTER (WHERE pl_b) AS pl_c, max(pl_n, 2) AS pl_tn
    FROM site_member GROUP BY ALL
    UNION ALL
    SELECT covenant, year, CASE WHEN GROUPING(size_class) = 1 THEN 'total' ELSE 'size_class'
        END, coalesce(size_class, 'total'),
        sum(eh_n), sum(eh_d), count(*) FILTER (WHERE eh_b), max(eh_n, 2), max(eh_d, 2),
        sum(ds_n), count(*) FILTER (WHERE ds_b), max(ds_n, 2),
        sum(ja_n), sum(ja_d), count(*) FILTER (WHERE ja_b), max(ja_n, 2), max(ja_d, 2),
        sum(pa_n), sum(pa_d), count(*) FILTER (WHERE pa_b), max(pa_n, 2), max(pa_d, 2),
        sum(pl_n), count(*) FILTER (WHERE pl_b), max(pl_n, 2)
    FROM site_total GROUP BY GROUPING SETS ((covenant, year), (covenant, year, size_class))
), material_member AS (  -- per member and raw material
    SELECT c.covenant, c.year, c.member_id, c.size_class, t.material,
        sum(t.certified_volume) FILTER (WHERE t.certified_volume IS NOT NULL
            AND t.purchased_volume IS NOT NULL) AS cs_n,
        sum(t.purchased_volume) FILTER (WHERE t.certified_volume IS NOT NULL
            AND t.purchased_volume IS NOT NULL) AS cs_d,
        bool_or(t.certified_volume IS NOT NULL AND t.purchased_volume IS NOT NULL) AS cs_b
    FROM cur c JOIN materials t USING (submission_id) GROUP BY ALL
), material_total AS (
    SELECT covenant, year, member_id, size_class, sum(cs_n) AS cs_n, sum(cs_d) AS cs_d,
        bool_or(cs_b) AS cs_b
    FROM material_member GROUP BY ALL
), material_cells AS (
    SELECT covenant, year, 'material' AS breakdown, material AS category, sum(cs_n) AS cs_n,
        sum(cs_d) AS cs_d, count(*) FILTER (WHERE cs_b) AS cs_c, max(cs_n, 2) AS cs_tn,
        max(cs_d, 2) AS cs_td
    FROM material_member GROUP BY ALL
    UNION ALL
    SELECT covenant, year, CASE WHEN GROUPING(size_class) = 1 THEN 'total' ELSE 'size_class'
        END, coalesce(size_class, 'total'), sum(cs_n), sum(cs_d),
        count(*) FILTER (WHERE cs_b), max(cs_n, 2), max(cs_d, 2)
    FROM material_total GROUP BY GROUPING SETS ((covenant, year), (covenant, year, size_class))
)
SELECT * FROM company_cells
UNION ALL BY NAME SELECT * FROM site_cells
UNION ALL BY NAME SELECT * FROM material_cells
