"""Unit tests of scripts/sample-data.py (standard library only; scripts/check-static.sh runs them
with Debian's python3: `/usr/bin/python3 -m unittest discover -s Tests/sample-data`)."""

import datetime
import pathlib
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "scripts" / "sample-data.py"
FILES = ("advertiser_ids", "product_views", "ads_views")
ADVERTISER = re.compile(r"[A-Z0-9]{20}")
PRODUCT = re.compile(r"[a-z0-9]{6}")


def generate(out, *arguments):
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out), *arguments], check=True, timeout=120)
    return {name: (pathlib.Path(out) / name).read_bytes() for name in FILES}


class SampleDataTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.TemporaryDirectory()
        base = pathlib.Path(cls.work.name)
        # The defaults (the course-2025 layout) once; smaller runs for the rest.
        cls.default = generate(base / "default")
        cls.small = generate(base / "small", "--seed", "7", "--days", "4", "--rows", "2000", "--lf")

    @classmethod
    def tearDownClass(cls):
        cls.work.cleanup()

    def lines(self, files, name):
        return files[name].decode("ascii").splitlines()

    def test_same_seed_gives_the_same_bytes(self):
        with tempfile.TemporaryDirectory() as out:
            self.assertEqual(generate(out, "--seed", "7", "--days", "4", "--rows", "2000", "--lf"), self.small)

    def test_another_seed_gives_other_data(self):
        with tempfile.TemporaryDirectory() as out:
            other = generate(out, "--seed", "8", "--days", "4", "--rows", "2000", "--lf")
        for name in FILES:
            self.assertNotEqual(other[name], self.small[name], name)

    def test_line_ends(self):
        for name in FILES:
            body = self.default[name]
            self.assertTrue(body.endswith(b"\r\n"), name)
            self.assertEqual(body.count(b"\n"), body.count(b"\r\n"), f"{name}: every line ends with CRLF")
            self.assertNotIn(b"\r", self.small[name], f"{name}: --lf writes LF only")

    def test_the_course_format(self):
        advertisers = self.lines(self.default, "advertiser_ids")
        self.assertEqual(advertisers[0], "advertiser_id")
        active = advertisers[1:]
        self.assertEqual(len(active), 20)
        self.assertEqual(len(set(active)), 20)
        for advertiser in active:
            self.assertRegex(advertiser, ADVERTISER)

        views = self.lines(self.default, "product_views")
        ads = self.lines(self.default, "ads_views")
        self.assertEqual(views[0], "advertiser_id,product_id,date")
        self.assertEqual(ads[0], "advertiser_id,product_id,type,date")
        self.assertEqual(len(views) - 1, 100_000)
        self.assertEqual(len(ads) - 1, 100_000)
        first, last = datetime.date(2025, 11, 15), datetime.date(2025, 12, 19)
        types = {"impression": 0, "click": 0}
        for rows, columns in ((views[1:], 3), (ads[1:], 4)):
            previous = None
            for row in rows:
                fields = row.split(",")
                self.assertEqual(len(fields), columns, row)
                self.assertRegex(fields[0], ADVERTISER)
                self.assertRegex(fields[1], PRODUCT)
                date = datetime.date.fromisoformat(fields[-1])
                self.assertTrue(first <= date <= last, row)
                self.assertTrue(previous is None or previous <= date, f"rows in date order: {row}")
                previous = date
                if columns == 4:
                    types[fields[2]] += 1
        self.assertEqual(set(types), {"impression", "click"})
        self.assertTrue(500 <= types["click"] <= 2000, types)

    def test_every_date_has_rows_of_about_the_same_count(self):
        for name in ("product_views", "ads_views"):
            per_day = {}
            for row in self.lines(self.default, name)[1:]:
                date = row.rsplit(",", 1)[1]
                per_day[date] = per_day.get(date, 0) + 1
            self.assertEqual(len(per_day), 35, name)
            self.assertEqual(min(per_day), "2025-11-15")
            self.assertEqual(max(per_day), "2025-12-19")
            for date, count in per_day.items():
                self.assertTrue(2500 <= count <= 3300, f"{name} {date}: {count} rows")

    def test_inactive_advertisers_have_rows(self):
        active = set(self.lines(self.default, "advertiser_ids")[1:])
        for name in ("product_views", "ads_views"):
            rows = self.lines(self.default, name)[1:]
            inactive = [row for row in rows if row.split(",", 1)[0] not in active]
            self.assertEqual(len({row.split(",", 1)[0] for row in inactive}), 5, name)
            self.assertTrue(0.15 <= len(inactive) / len(rows) <= 0.25, f"{name}: {len(inactive)} of {len(rows)}")
            # Every active advertiser has rows too, the first one (the README's examples) on every date.
            self.assertEqual({row.split(",", 1)[0] for row in rows} & active, active)

    def test_the_first_advertiser_has_views_and_impressions_every_day(self):
        first = self.lines(self.default, "advertiser_ids")[1]
        for name in ("product_views", "ads_views"):
            dates = {row.rsplit(",", 1)[1] for row in self.lines(self.default, name)[1:] if row.startswith(first + ",")}
            self.assertEqual(len(dates), 35, name)

    def test_product_ids_can_be_all_digits(self):
        products = {row.split(",")[1] for row in self.lines(self.default, "product_views")[1:]}
        self.assertTrue(any(product.isdigit() for product in products))


if __name__ == "__main__":
    unittest.main()
