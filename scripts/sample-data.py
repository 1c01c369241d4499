#!/usr/bin/env python3
"""Writes a deterministic sample of the course's raw logs, for a checkout without ../shared/data.

The three files have the course's names, header lines and format (../shared/data/README.md):
  advertiser_ids  header `advertiser_id`, then the 20 active advertisers (20 characters, A-Z0-9)
  product_views   header `advertiser_id,product_id,date`, then --rows rows
  ads_views       header `advertiser_id,product_id,type,date`, then --rows rows, `type` about 99 %
                  `impression` and 1 % `click`
The logs also hold 5 inactive advertisers (about 20 % of the rows, which ingest must drop). Each
advertiser has a catalogue of 100 products (6 characters, a-z0-9, a few all digits); views and
impressions favour a catalogue's first products, clicks are drawn on their own (a product can be
clicked with no impression that day). Rows are in date order, --days days from --start, about the
same count each day. The same arguments give the same bytes (one random.Random(seed), no hashing
of strings, no clock). Python standard library only: run it with Debian's /usr/bin/python3.

Usage: scripts/sample-data.py --out DIR [--seed 1] [--start 2025-11-15] [--days 35] [--rows 100000] [--lf]
The defaults give the course-2025 layout: the same 35 dates, 100,000 rows per log, CRLF line ends.
"""

import argparse
import datetime
import os
import random
import string
import sys

ACTIVE = 20
INACTIVE = 5
PRODUCTS_PER_ADVERTISER = 100
CLICK_SHARE = 0.01
# course-2025's dates (2025-11-15 .. 2025-12-19): the demo dates the documents trigger hold with
# either data set (scripts/check_static.py checks it).
DEFAULT_START = datetime.date(2025, 11, 15)
DEFAULT_DAYS = 35
HEADERS = {
    "advertiser_ids": "advertiser_id",
    "product_views": "advertiser_id,product_id,date",
    "ads_views": "advertiser_id,product_id,type,date",
}


def unique_ids(rng, count, alphabet, length, taken):
    ids = []
    while len(ids) < count:
        candidate = "".join(rng.choice(alphabet) for _ in range(length))
        if candidate not in taken:
            taken.add(candidate)
            ids.append(candidate)
    return ids


def catalogue(rng, taken):
    products = unique_ids(rng, PRODUCTS_PER_ADVERTISER - 2, string.ascii_lowercase + string.digits, 6, taken)
    # Product ids can be all digits (with leading zeros), so they must stay strings.
    products += unique_ids(rng, 2, string.digits, 6, taken)
    rng.shuffle(products)
    return products


def day_counts(rng, total, days):
    """About total / days rows a day (±5 %), summing to exactly total."""
    weights = [1 + rng.uniform(-0.05, 0.05) for _ in range(days)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % days] += 1
    return counts


def generate(seed, start, days, rows):
    """Returns {file name: list of row strings, header first}."""
    rng = random.Random(seed)
    taken = set()
    advertisers = unique_ids(rng, ACTIVE + INACTIVE, string.ascii_uppercase + string.digits, 20, taken)
    active = advertisers[:ACTIVE]
    catalogues = [catalogue(rng, taken) for _ in advertisers]
    # A few popular products per advertiser, then a long tail: ranks are decided by counts, with ties.
    popularity = [1.0 / (rank + 1) ** 0.8 for rank in range(PRODUCTS_PER_ADVERTISER)]
    dates = [(start + datetime.timedelta(days=i)).isoformat() for i in range(days)]
    product_views, ads_views = [HEADERS["product_views"]], [HEADERS["ads_views"]]
    for date, views, ads in zip(dates, day_counts(rng, rows, days), day_counts(rng, rows, days)):
        for _ in range(views):
            a = rng.randrange(len(advertisers))
            product = rng.choices(catalogues[a], weights=popularity)[0]
            product_views.append(f"{advertisers[a]},{product},{date}")
        for _ in range(ads):
            a = rng.randrange(len(advertisers))
            if rng.random() < CLICK_SHARE:
                kind, product = "click", rng.choice(catalogues[a])
            else:
                kind, product = "impression", rng.choices(catalogues[a], weights=popularity)[0]
            ads_views.append(f"{advertisers[a]},{product},{kind},{date}")
    return {
        "advertiser_ids": [HEADERS["advertiser_ids"]] + active,
        "product_views": product_views,
        "ads_views": ads_views,
    }


def main(argv):
    parser = argparse.ArgumentParser(description="Deterministic sample of the course's raw logs.")
    parser.add_argument("--out", required=True, help="folder to write advertiser_ids, product_views, ads_views into")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=datetime.date.fromisoformat, default=DEFAULT_START, help="first date (YYYY-MM-DD)")
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
    parser.add_argument("--rows", type=int, default=100_000, help="rows of each log")
    parser.add_argument("--lf", action="store_true", help="LF line ends (default CRLF, as course-2025)")
    args = parser.parse_args(argv)
    if args.days < 1 or args.rows < args.days:
        parser.error("--days must be at least 1 and --rows at least --days")
    end = "\n" if args.lf else "\r\n"
    os.makedirs(args.out, exist_ok=True)
    for name, lines in generate(args.seed, args.start, args.days, args.rows).items():
        path = os.path.join(args.out, name)
        with open(path + ".tmp", "w", encoding="ascii", newline="") as out:
            out.write(end.join(lines) + end)
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv[1:])
