#!/usr/bin/env python3
"""The live half of check_static.py's metric check, run by scripts/smoke.sh.

Reads `/metrics` from the running services and checks that every `adrecs_*` metric named by
infra/monitoring (Prometheus config and rules, Grafana provisioning and dashboards; the same files
and the same name extraction as check_static.py) is in the live scrape of some service. A
histogram's `_bucket`, `_sum` and `_count` series count as its base name too. A label matcher
right after a metric's name (`adrecs_runs_total{outcome=~"failed"}`) must name a label that the
metric's live series carry.

Usage: check_live_metrics.py [--save DIR] [--positive SERVICE:METRIC[{label="value",…}]]… SERVICE=URL…
  SERVICE=URL          a service's name and its metrics URL (http://127.0.0.1:9101/metrics)
  --save DIR           also writes each scrape to DIR/SERVICE.metrics
  --positive …         that service's scrape must hold a sample of METRIC whose labels include
                       the given ones with a value above 0 (e.g. a stage really ran)
Also runs self-tests: an unknown metric, an empty scrape and a zero counter must be reported.
Prints nothing on success; prints each problem and exits 1 otherwise.
"""
from __future__ import annotations

import argparse
import pathlib
import re
import sys
import urllib.request

import yaml

import check_static

SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
SELECTOR = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$")
MATCHERS = re.compile(r"\b(adrecs_[a-z0-9_]*[a-z0-9])\{([^}]*)\}")
MATCHER_KEY = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")

Sample = tuple[str, dict[str, str], float]


def parse_exposition(text: str) -> tuple[list[Sample], dict[str, str]]:
    """The samples (name, labels, value) and the `# TYPE` of each metric family in Prometheus text."""
    samples: list[Sample] = []
    types: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            parts = line.split()
            if len(parts) >= 4:
                types[parts[2]] = parts[3]
            continue
        if not line.strip() or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        if not match:
            continue
        try:
            value = float(match.group(3))
        except ValueError:
            continue
        samples.append((match.group(1), dict(LABEL.findall(match.group(2) or "")), value))
    return samples, types


def live_names(samples: list[Sample], types: dict[str, str]) -> set[str]:
    """The names of the series present, plus the base name of each histogram or summary series."""
    names = {name for name, _, _ in samples}
    for name in list(names):
        for suffix in check_static.HISTOGRAM_SUFFIXES:
            base = name[: -len(suffix)]
            if name.endswith(suffix) and types.get(base) in ("histogram", "summary"):
                names.add(base)
    return names


def check_scrapes(scrapes: dict[str, str]) -> tuple[list[str], set[str]]:
    """Per-service problems (a scrape without any adrecs_ series) and the union of the live names."""
    errors, union = [], set()
    for service, text in scrapes.items():
        names = {n for n in live_names(*parse_exposition(text)) if n.startswith("adrecs_")}
        if not names:
            errors.append(f"{service}: its /metrics holds no adrecs_ series")
        union |= names
    return errors, union


def target_labels(files: dict[str, str]) -> set[str]:
    """The labels Prometheus adds to every scraped series: `job`, `instance` and the static labels of
    prometheus.yml's targets (rule tests' series carry them)."""
    config = yaml.safe_load(files.get("infra/monitoring/prometheus.yml", "{}")) or {}
    return {"job", "instance"} | {key for job in config.get("scrape_configs") or []
                                  for static in job.get("static_configs") or [] for key in static.get("labels") or {}}


def check_label_keys(files: dict[str, str], scrapes: dict[str, str]) -> list[str]:
    """Each `metric{key…}` matcher in `files` names a label key that some live series of metric carries
    (or a label Prometheus adds at scrape time)."""
    keys: dict[str, set[str]] = {}
    for text in scrapes.values():
        for name, labels, _ in parse_exposition(text)[0]:
            keys.setdefault(name, set()).update(labels)
    added = target_labels(files)
    errors = []
    for file, text in files.items():
        for name, matchers in sorted(set(MATCHERS.findall(text))):
            if name not in keys:
                continue  # an absent metric is check_metrics's finding
            for key in sorted(set(MATCHER_KEY.findall(matchers)) - keys[name] - added):
                errors.append(f"{file}: {name} has no label {key} in the live /metrics (labels: {', '.join(sorted(keys[name]))})")
    return errors


def check_positive(scrapes: dict[str, str], expectations: list[str]) -> list[str]:
    """Each `SERVICE:METRIC{label="value",…}` has a matching sample above 0 in that service's scrape."""
    errors = []
    for expectation in expectations:
        service, _, selector = expectation.partition(":")
        match = SELECTOR.match(selector)
        if service not in scrapes or not match:
            errors.append(f"--positive {expectation}: not SERVICE:METRIC{{labels}} of a scraped service")
            continue
        name, wanted = match.group(1), dict(LABEL.findall(match.group(2) or ""))
        samples, _ = parse_exposition(scrapes[service])
        values = [v for n, labels, v in samples if n == name and wanted.items() <= labels.items()]
        if not any(v > 0 for v in values):
            seen = ", ".join(f"{v:g}" for v in values) or "no such series"
            errors.append(f"{service}: expected {selector} above 0 after the night, found {seen}")
    return errors


def scrape(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


SELFTEST_SCRAPE = """# TYPE adrecs_runs_total counter
adrecs_runs_total{stage="ingest",outcome="succeeded"} 0
# TYPE adrecs_stage_duration_seconds histogram
adrecs_stage_duration_seconds_bucket{stage="ingest",le="+Inf"} 0
adrecs_stage_duration_seconds_sum{stage="ingest"} 0.0
adrecs_stage_duration_seconds_count{stage="ingest"} 0
"""


def selftests() -> list[str]:
    errors, names = check_scrapes({"selftest": SELFTEST_SCRAPE})
    found = {
        "a scrape's histogram base name is missing": ["missing"] if "adrecs_stage_duration_seconds" not in names else [],
        "the check accepts a valid scrape with errors": ["bad"] if errors else [],
    }
    expect_problems = {
        "the metric check accepts an unknown metric":
            check_static.check_metrics({"selftest": "rate(adrecs_no_such_metric_total[5m])"}, names, "is missing"),
        "an empty scrape passes": check_scrapes({"selftest": "# no metrics\n"})[0],
        "a zero counter counts as positive":
            check_positive({"selftest": SELFTEST_SCRAPE}, ['selftest:adrecs_runs_total{outcome="succeeded"}']),
        "the label check accepts an unknown label":
            check_label_keys({"selftest": 'sum(adrecs_runs_total{stage="x", no_such_label=~"y"})'}, {"selftest": SELFTEST_SCRAPE}),
    }
    failures = [f"self-test failed: {name}" for name, problems in found.items() if problems]
    failures += [f"self-test failed: {name}" for name, problems in expect_problems.items() if not problems]
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positive", action="append", default=[], metavar="SERVICE:METRIC{labels}")
    parser.add_argument("--save", type=pathlib.Path, metavar="DIR")
    parser.add_argument("targets", nargs="+", metavar="SERVICE=URL")
    args = parser.parse_args()

    errors: list[str] = []
    scrapes: dict[str, str] = {}
    for target in args.targets:
        service, _, url = target.partition("=")
        try:
            scrapes[service] = scrape(url)
            if args.save:
                (args.save / f"{service}.metrics").write_text(scrapes[service])
        except OSError as error:
            errors.append(f"{service}: cannot read {url}: {error}")
    scrape_errors, live = check_scrapes(scrapes)
    errors += scrape_errors
    where = f"is in no service's live /metrics ({', '.join(scrapes) or 'none scraped'})"
    monitoring = check_static.monitoring_files()
    errors += check_static.check_metrics(monitoring, live, where)
    errors += check_label_keys(monitoring, scrapes)
    errors += check_positive(scrapes, args.positive)
    errors += selftests()
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
