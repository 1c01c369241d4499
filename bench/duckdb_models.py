"""The reference for bench/chain.sh: Filter + TopProduct + TopCTR for one date in DuckDB.

Usage: python bench/duckdb_models.py DATA_DIR DATE OUTPUT.csv
Reads the course-format files (advertiser_ids, product_views, ads_views) of DATA_DIR locally and
writes the expected.csv columns, with the same ordering rules as the adrecs core.
"""
import sys
import time

import duckdb

data, date, output = sys.argv[1:4]
started = time.perf_counter()
con = duckdb.connect()
con.execute(f"""
CREATE TEMP TABLE active AS
  SELECT DISTINCT advertiser_id FROM read_csv('{data}/advertiser_ids', header=true, all_varchar=true);
CREATE TEMP TABLE views AS
  SELECT v.advertiser_id, v.product_id FROM read_csv('{data}/product_views', header=true, all_varchar=true) v
  JOIN active USING (advertiser_id) WHERE v.date = '{date}';
CREATE TEMP TABLE ads AS
  SELECT a.advertiser_id, a.product_id, a.type FROM read_csv('{data}/ads_views', header=true, all_varchar=true) a
  JOIN active USING (advertiser_id) WHERE a.date = '{date}';
""")
con.execute(f"""
COPY (
  SELECT * FROM (
    SELECT '{date}' AS date, advertiser_id, 'TopProduct' AS model,
           row_number() OVER (PARTITION BY advertiser_id ORDER BY count(*) DESC, product_id COLLATE "C") AS rank,
           product_id, count(*) AS views, NULL AS impressions, NULL AS clicks, NULL AS ctr
      FROM views GROUP BY advertiser_id, product_id QUALIFY rank <= 20
    UNION ALL
    SELECT '{date}', advertiser_id, 'TopCTR',
           row_number() OVER (PARTITION BY advertiser_id ORDER BY ctr DESC, clicks DESC, impressions DESC, product_id COLLATE "C") AS rank,
           product_id, NULL, impressions, clicks, ctr
      FROM (SELECT advertiser_id, product_id,
                   count(*) FILTER (WHERE type = 'impression') AS impressions,
                   count(*) FILTER (WHERE type = 'click') AS clicks,
                   count(*) FILTER (WHERE type = 'click')::DOUBLE / count(*) FILTER (WHERE type = 'impression') AS ctr
              FROM ads GROUP BY advertiser_id, product_id HAVING count(*) FILTER (WHERE type = 'impression') > 0)
      QUALIFY rank <= 20
  ) ORDER BY advertiser_id, model, rank
) TO '{output}' (HEADER, DELIMITER ',')
""")
print(f"duckdb_seconds={time.perf_counter() - started:.3f}")
