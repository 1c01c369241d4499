#!/usr/bin/env python3
"""Static checks of the container and AWS files (issue 7), run by scripts/check-static.sh.

Checks, each against the repository as it is (nothing hard-coded about the services' keys or
metrics: they are read from the READMEs and the Swift sources):
  1. compose.yaml follows the Compose Specification's structure (known top-level, service and
     healthcheck properties, depends_on conditions) and a few project rules (health checks behind every
     `service_healthy`, one-shot jobs behind `service_completed_successfully`, named volumes
     declared, bind-mount sources present, build targets present in the Dockerfile, every
     `${VAR}` listed in .env.example, no secret given a literal value).
  2. Every environment key given to an adrecs service (compose.yaml, Dockerfile ENV per target,
     ECS task definitions and App Runner in infra/*.yaml) is a documented configuration key of
     that service (its README's config section), and every documented key is read in the code.
  3. Every `adrecs_*` metric that Prometheus or the Grafana dashboard names is exported by the
     services' Swift code (statically, from the sources; check_live_metrics.py, run by
     scripts/smoke.sh, checks the same files against the running services' /metrics).
  4. One demo data set: the documents that upload data and trigger nights (README.md, infra/README.md,
     compose.yaml, .env.example, scripts/run.sh, …) name no course but course-2025,
     and every date they trigger (`{"date":"…"}`, `--date`, a backfill's `--from-date`/`--to-date`,
     `airflow dags test … D`) is a date of it; scripts/sample-data.py's defaults (run.sh's data
     without ../shared/data) are on the same dates, and so is ../shared/data/course-2025 when present.
  5. Self-test: each check rejects a deliberately broken input, so a passing run means something.
Prints nothing on success; prints each problem and exits 1 otherwise.
"""
from __future__ import annotations

import copy
import datetime
import importlib.util
import json
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SERVICES = ["ingest", "models", "writer", "api"]
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


# ------------------------------------------------------------------ sources of truth
def documented_keys(service: str) -> set[str]:
    """The keys in the config section of services/<service>/README.md (backticked UPPER_CASE)."""
    text = (ROOT / "services" / service / "README.md").read_text()
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines)
                  if re.match(r"^(##\s+Config\b|-\s+\*\*Config\*\*)", line)), None)
    if start is None:
        raise SystemExit(f"services/{service}/README.md: no config section")
    section = [lines[start]]
    for line in lines[start + 1:]:
        if line.startswith("## ") or line.startswith("- **"):
            break
        section.append(line)
    return set(re.findall(r"`([A-Z][A-Z0-9_]*[A-Z0-9])`", "\n".join(section)))


def swift_sources(*folders: str) -> str:
    return "\n".join(p.read_text() for f in folders for p in sorted((ROOT / f).rglob("*.swift")))


def exported_metrics() -> set[str]:
    """Metric names the services' code exports: `adrecs_…` literals with a unit suffix, and names
    composed by MetricNameDescriptor(namespace:subsystem:metricName:unitName:) helpers."""
    names: set[str] = set()
    for path in [*sorted((ROOT / "shared").rglob("*.swift")), *sorted((ROOT / "services").rglob("*.swift"))]:
        if "/Tests/" in str(path):
            continue
        text = path.read_text()
        names.update(re.findall(r'"(adrecs_[a-z0-9_]+_(?:total|seconds|bytes))"', text))
        descriptor = re.search(r'MetricNameDescriptor\(\s*namespace:\s*"([a-z0-9_]+)",\s*subsystem:\s*"([a-z0-9_]+)",'
                               r'\s*metricName:\s*name,\s*unitName:\s*unit', text)
        if descriptor:
            prefix = f"{descriptor.group(1)}_{descriptor.group(2)}"
            for name, unit in re.findall(r'Self\.name\(\s*"([a-z0-9_]+)",\s*"([a-z0-9_]+)"', text):
                names.add(f"{prefix}_{name}_{unit}")
    return names


# ------------------------------------------------------------------ YAML helpers
class CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation YAML, turning !Ref/!Sub/… into {"Fn::…": …} mappings."""


def _cfn_tag(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


def cfn_templates() -> list[pathlib.Path]:
    return [p for p in sorted((ROOT / "infra").glob("*.yaml")) if "AWSTemplateFormatVersion" in p.read_text()]


def walk(node, visit):
    visit(node)
    if isinstance(node, dict):
        for value in node.values():
            walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            walk(value, visit)


# ------------------------------------------------------------------ checks
def dockerfile_stages(text: str) -> dict[str, dict]:
    """Stage name → {"base": parent stage or image, "env": keys set by ENV in that stage}."""
    stages: dict[str, dict] = {}
    current = None
    joined = re.sub(r"\\\n", " ", text)
    for line in joined.splitlines():
        line = line.strip()
        match = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
        if match:
            current = match.group(2) or f"stage{len(stages)}"
            stages[current] = {"base": match.group(1), "env": set()}
        elif current and re.match(r"ENV\s", line, re.I):
            stages[current]["env"].update(re.findall(r"(?:^|\s)([A-Z][A-Z0-9_]*)=", line[4:]))
    return stages


def check_dockerfile(text: str) -> list[str]:
    """Each service target: non-root USER, a HEALTHCHECK, EXPOSE and ENTRYPOINT (own or inherited),
    a slim runtime base (not the Swift builder), and no secret set by ENV."""
    joined = re.sub(r"\\\n", " ", text)
    stages: dict[str, dict] = {}
    current = None
    for line in joined.splitlines():
        line = line.strip()
        match = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
        if match:
            current = match.group(2) or f"stage{len(stages)}"
            stages[current] = {"base": match.group(1), "lines": []}
        elif current and line and not line.startswith("#"):
            stages[current]["lines"].append(line)
    errors = []
    for target in SERVICES:
        chain, name = [], target
        while name in stages:
            chain.append(name)
            name = stages[name]["base"]
        lines = [l for s in chain for l in stages[s]["lines"]]
        first = lambda word: next((l for l in lines if l.upper().startswith(word + " ")), None)
        user = first("USER")
        if not user or user.split()[1].split(":")[0] in ("root", "0"):
            errors.append(f"Dockerfile target {target}: no non-root USER")
        for word in ("HEALTHCHECK", "EXPOSE", "ENTRYPOINT"):
            if not first(word):
                errors.append(f"Dockerfile target {target}: no {word}")
        if "swift" in name.lower():
            errors.append(f"Dockerfile target {target}: runs on the builder image {name}")
        for line in lines:
            if line.upper().startswith("ENV ") and re.search(r"(DB_URL|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|PASSWORD)=", line):
                errors.append(f"Dockerfile target {target}: sets a secret by ENV: {line}")
    return errors


def stage_env(stages: dict[str, dict], name: str) -> set[str]:
    keys: set[str] = set()
    while name in stages:
        keys |= stages[name]["env"]
        name = stages[name]["base"]
    return keys


# The Compose Specification's top-level and service properties that this project may use.
COMPOSE_TOP = {"name", "services", "volumes", "networks", "configs", "secrets"}
COMPOSE_SERVICE = {
    "image", "build", "command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes",
    "depends_on", "healthcheck", "restart", "user", "working_dir", "networks", "profiles", "container_name",
    "labels", "init", "stop_grace_period", "stop_signal", "configs", "secrets", "extra_hosts", "deploy",
    "logging", "tmpfs", "ulimits", "read_only", "cap_drop", "security_opt", "hostname", "shm_size",
}
COMPOSE_HEALTHCHECK = {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"}
COMPOSE_CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def compose_structure(compose: dict) -> list[str]:
    """A structural check of the Compose Specification's rules that matter here (no engine, no network)."""
    errors = [f"compose.yaml: unknown top-level key {k!r}" for k in compose if k not in COMPOSE_TOP and not k.startswith("x-")]
    services = compose.get("services")
    if not isinstance(services, dict) or not services:
        return errors + ["compose.yaml: no services"]
    for name, service in services.items():
        if not isinstance(service, dict):
            errors.append(f"compose.yaml: service {name}: not a mapping")
            continue
        errors += [f"compose.yaml: service {name}: unknown property {k!r}" for k in service
                   if k not in COMPOSE_SERVICE and not k.startswith("x-")]
        if "image" not in service and "build" not in service:
            errors.append(f"compose.yaml: service {name}: neither image nor build")
        health = service.get("healthcheck") or {}
        errors += [f"compose.yaml: service {name}: unknown healthcheck property {k!r}" for k in health if k not in COMPOSE_HEALTHCHECK]
        depends = service.get("depends_on") or {}
        if isinstance(depends, dict):
            for dep, spec in depends.items():
                if dep not in services:
                    errors.append(f"compose.yaml: service {name} depends on unknown service {dep}")
                if isinstance(spec, dict) and spec.get("condition") not in COMPOSE_CONDITIONS:
                    errors.append(f"compose.yaml: service {name}: unknown depends_on condition {spec.get('condition')!r}")
        for port in service.get("ports") or []:
            if not isinstance(port, (str, int, dict)):
                errors.append(f"compose.yaml: service {name}: bad port {port!r}")
        environment = service.get("environment")
        if environment is not None and not isinstance(environment, (dict, list)):
            errors.append(f"compose.yaml: service {name}: environment must be a mapping or a list")
    return errors


def check_compose(compose: dict, env_example: set[str], targets: set[str], raw: str) -> list[str]:
    errors = compose_structure(compose)
    if errors:
        return errors
    services = compose.get("services", {})
    volumes = set((compose.get("volumes") or {}).keys())
    for name, svc in services.items():
        for dep, spec in (svc.get("depends_on") or {}).items() if isinstance(svc.get("depends_on"), dict) else []:
            if dep not in services:
                errors.append(f"compose.yaml: {name} depends on unknown service {dep}")
                continue
            condition = spec.get("condition")
            if condition == "service_healthy" and "healthcheck" not in services[dep]:
                errors.append(f"compose.yaml: {name} waits for {dep} to be healthy, but {dep} has no healthcheck")
            if condition == "service_completed_successfully" and services[dep].get("restart", "no") != "no":
                errors.append(f"compose.yaml: {name} waits for {dep} to complete, but {dep} restarts")
            if condition not in ("service_healthy", "service_completed_successfully"):
                errors.append(f"compose.yaml: {name} depends on {dep} without a health or completion condition")
        if isinstance(svc.get("depends_on"), list):
            errors.append(f"compose.yaml: {name}: depends_on must use conditions")
        if svc.get("restart", "no") != "no" and "healthcheck" not in svc:
            errors.append(f"compose.yaml: long-running service {name} has no healthcheck")
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith(("./", "../", "/", "${")):
                if source.startswith("./") and not (ROOT / source).exists():
                    errors.append(f"compose.yaml: {name} mounts missing {source}")
            elif source and source not in volumes:
                errors.append(f"compose.yaml: {name} uses undeclared volume {source}")
        build = svc.get("build")
        if isinstance(build, dict) and build.get("target") not in targets:
            errors.append(f"compose.yaml: {name} builds unknown Dockerfile target {build.get('target')}")
        env = svc.get("environment") or {}
        for key, value in (env.items() if isinstance(env, dict) else []):
            if re.search(r"PASSWORD|SECRET|TOKEN", key) and isinstance(value, str) and value and "${" not in value:
                errors.append(f"compose.yaml: {name}.{key} has a literal secret value")
    for var in sorted(set(re.findall(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)", raw))):
        if var not in env_example:
            errors.append(f"compose.yaml: ${{{var}}} is not listed in .env.example")
    return errors


def compose_service_env(compose: dict) -> list[tuple[str, str, set[str]]]:
    """(where, adrecs service, keys) for every compose service built from a Dockerfile target."""
    out = []
    for name, svc in compose.get("services", {}).items():
        build = svc.get("build")
        if isinstance(build, dict) and build.get("target") in SERVICES:
            env = svc.get("environment") or {}
            keys = set(env.keys()) if isinstance(env, dict) else {e.split("=")[0] for e in env}
            out.append((f"compose.yaml service {name}", build["target"], keys))
    return out


def template_service_env(path: pathlib.Path, template: dict) -> list[tuple[str, str, set[str]]]:
    out = []

    def visit(node):
        if not isinstance(node, dict):
            return
        for container in node.get("ContainerDefinitions", []) if isinstance(node.get("ContainerDefinitions"), list) else []:
            keys = {e["Name"] for e in container.get("Environment", [])} | {e["Name"] for e in container.get("Secrets", [])}
            out.append((f"{path.name} container {container.get('Name')}", container.get("Name"), keys))
        image_config = node.get("ImageConfiguration")
        if isinstance(image_config, dict) and "RuntimeEnvironmentVariables" in image_config:
            keys = {e["Name"] for e in image_config.get("RuntimeEnvironmentVariables", [])}
            keys |= {e["Name"] for e in image_config.get("RuntimeEnvironmentSecrets", [])}
            out.append((f"{path.name} App Runner service", "api", keys))
    walk(template, visit)
    return out


def check_env_keys(usages, docs: dict[str, set[str]]) -> list[str]:
    errors = []
    for where, service, keys in usages:
        if service not in docs:
            errors.append(f"{where}: not one of the services {SERVICES}")
            continue
        for key in sorted(keys - docs[service]):
            errors.append(f"{where}: {key} is not a documented config key of {service}")
    return errors


def check_documented_keys_in_code(docs: dict[str, set[str]]) -> list[str]:
    errors = []
    shared = swift_sources("shared")
    for service, keys in docs.items():
        code = shared + swift_sources(f"services/{service}")
        for key in sorted(keys):
            dotted = key.lower().replace("_", ".")
            if f'"{dotted}"' not in code and f'"{key}"' not in code:
                errors.append(f"services/{service}/README.md documents {key}, which the code never reads")
    return errors


def check_no_static_keys(texts: dict[str, str]) -> list[str]:
    errors = []
    for name, text in texts.items():
        if re.search(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b", text):
            errors.append(f"{name}: contains what looks like an AWS access key id")
        if name.startswith("infra/") and re.search(r"AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)", text):
            errors.append(f"{name}: sets static AWS credentials (use task/instance roles)")
    return errors


def monitoring_files() -> dict[str, str]:
    """Prometheus's config and rules and the Grafana provisioning and dashboards under infra/monitoring,
    by path relative to the repository."""
    return {str(p.relative_to(ROOT)): p.read_text()
            for p in sorted((ROOT / "infra/monitoring").rglob("*")) if p.suffix in (".yml", ".yaml", ".json")}


def metric_references(text: str) -> set[str]:
    return set(re.findall(r"\b(adrecs_[a-z0-9_]*[a-z0-9])\b", text))


def check_metrics(files: dict[str, str], exported: set[str], missing: str = "is not exported by any service") -> list[str]:
    """Every `adrecs_*` name in `files` is in `exported`; a histogram's `_bucket`, `_sum` and `_count`
    series count as their base name. `missing` ends each error message."""
    errors = []
    for name, text in files.items():
        for ref in sorted(metric_references(text)):
            base = ref
            for suffix in HISTOGRAM_SUFFIXES:
                if ref.endswith(suffix) and ref[: -len(suffix)] in exported:
                    base = ref[: -len(suffix)]
            if base not in exported:
                errors.append(f"{name}: metric {ref} {missing}")
    return errors


def check_airflow_connections(texts: dict[str, str]) -> list[str]:
    readme = ROOT / "dags" / "README.md"
    documented = set(re.findall(r"AIRFLOW_CONN_[A-Z0-9_]+", readme.read_text())) if readme.exists() else set()
    if not documented:
        return []
    errors = []
    for name, text in texts.items():
        for conn in sorted(set(re.findall(r"AIRFLOW_CONN_[A-Z0-9_]+", text)) - documented):
            errors.append(f"{name}: {conn} is not a connection of dags/README.md")
    return errors


def check_dashboard(dashboard: dict, datasource_uids: set[str]) -> list[str]:
    errors = []
    for panel in dashboard.get("panels", []):
        uid = (panel.get("datasource") or {}).get("uid")
        if uid not in datasource_uids:
            errors.append(f"dashboard panel {panel.get('title')!r}: unknown datasource uid {uid}")
        if not panel.get("targets"):
            errors.append(f"dashboard panel {panel.get('title')!r}: no query")
    return errors


# ------------------------------------------------------------------ main
# ------------------------------------------------------------------ the demo data and its dates
DEMO_COURSE = "course-2025"
# The documents that upload the demo data or trigger nights on it.
DEMO_DOCUMENTS = ["README.md", "docs/development.md", "infra/README.md", "compose.yaml", ".env.example",
                  "scripts/run.sh", *(f"services/{s}/README.md" for s in SERVICES)]
_DATE = r"(\d{4}-\d{2}-\d{2})"
TRIGGERS = [re.compile(p) for p in (
    r'"date"\s*:\s*"' + _DATE,              # airflow dags trigger -c '{"date":"…"}', POST /runs
    r"--date[ =]" + _DATE,                   # adrecs-ingest kick --date …
    r"--(?:from|to)-date[ =]" + _DATE,       # airflow backfill create
    r"dags test adrecs_nightly " + _DATE,    # airflow dags test
)]
COURSE_NAME = re.compile(r"course-\d{4}")


def sample_dates() -> set[str]:
    """The dates scripts/sample-data.py writes with its defaults."""
    spec = importlib.util.spec_from_file_location("sample_data", ROOT / "scripts" / "sample-data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {(module.DEFAULT_START + datetime.timedelta(days=i)).isoformat() for i in range(module.DEFAULT_DAYS)}


def course_dates(folder: pathlib.Path) -> set[str] | None:
    """The dates of a course folder's product_views, or None without it."""
    path = folder / "product_views"
    if not path.is_file():
        return None
    with path.open("rb") as rows:
        next(rows)
        return {row.rstrip(b"\r\n").rsplit(b",", 1)[-1].decode() for row in rows if row.strip()}


def check_demo_dates(texts: dict[str, str], dates: set[str]) -> list[str]:
    errors = []
    span = f"{min(dates)} .. {max(dates)}" if dates else "no dates"
    for name, text in texts.items():
        for course in sorted(set(COURSE_NAME.findall(text)) - {DEMO_COURSE}):
            errors.append(f"{name}: names {course}; the demo data is {DEMO_COURSE} (or scripts/sample-data.py on its dates)")
        for date in sorted({date for pattern in TRIGGERS for date in pattern.findall(text)} - dates):
            errors.append(f"{name}: triggers {date}, not a date of the demo data ({DEMO_COURSE}: {span})")
    return errors


def main() -> int:
    read = lambda rel: (ROOT / rel).read_text()
    raw_compose = read("compose.yaml")
    compose = yaml.safe_load(raw_compose)
    env_example = {line.split("=")[0].strip() for line in read(".env.example").splitlines()
                   if "=" in line and not line.lstrip().startswith("#")}
    stages = dockerfile_stages(read("Dockerfile"))
    docs = {s: documented_keys(s) for s in SERVICES}
    exported = exported_metrics()
    templates = {p: yaml.load(p.read_text(), CfnLoader) for p in cfn_templates()}
    monitoring = monitoring_files()
    dashboards = {n: json.loads(t) for n, t in monitoring.items() if n.endswith(".json")}
    datasource_uids = {d.get("uid") for n, t in monitoring.items() if "/datasources/" in n
                       for d in (yaml.safe_load(t) or {}).get("datasources", [])}

    env_usages = compose_service_env(compose)
    env_usages += [(f"Dockerfile target {t}", t, stage_env(stages, t)) for t in SERVICES if t in stages]
    for path, template in templates.items():
        env_usages += template_service_env(path, template)
    missing_targets = [t for t in SERVICES if t not in stages]
    texts = {"compose.yaml": raw_compose, "Dockerfile": read("Dockerfile"),
             **{f"infra/{p.name}": p.read_text() for p in templates}}

    errors: list[str] = [f"Dockerfile: no target {t}" for t in missing_targets]
    if not exported:
        errors.append("no adrecs_ metric found in the Swift sources")
    if len(env_usages) < 8:
        errors.append(f"only {len(env_usages)} environment usages found: the parser missed some")
    errors += check_dockerfile(read("Dockerfile"))
    errors += check_compose(compose, env_example, set(stages), raw_compose)
    errors += check_env_keys(env_usages, docs)
    errors += check_documented_keys_in_code(docs)
    errors += check_no_static_keys(texts)
    errors += check_metrics(monitoring, exported)
    errors += check_airflow_connections(texts)
    for name, dashboard in dashboards.items():
        errors += [f"{name}: {e}" for e in check_dashboard(dashboard, datasource_uids)]
    demo_dates = sample_dates()
    course = course_dates(ROOT.parent / "shared" / "data" / DEMO_COURSE)
    if course is not None and course != demo_dates:
        errors.append(f"scripts/sample-data.py's default dates differ from {DEMO_COURSE}'s "
                      f"({min(demo_dates)} .. {max(demo_dates)} vs {min(course)} .. {max(course)})")
    demo_texts = {name: read(name) for name in DEMO_DOCUMENTS if (ROOT / name).is_file()}
    errors += check_demo_dates(demo_texts, demo_dates)

    # Self-test: each check must reject a broken input.
    broken = copy.deepcopy(compose)
    broken["services"]["api"]["bogus_property"] = True
    selftests = {
        "the structure check accepts an unknown service property": check_compose(broken, env_example, set(stages), raw_compose),
        "env check accepts an undocumented key": check_env_keys([("selftest", "api", {"NOT_A_KEY"})], docs),
        "metric check accepts an unknown metric": check_metrics({"selftest": "rate(adrecs_no_such_metric_total[5m])"}, exported),
        "static key check accepts a literal key": check_no_static_keys({"selftest": "AKIA" + "ABCDEFGHIJKLMNOP"}),
    }
    broken_dep = copy.deepcopy(compose)
    broken_dep["services"]["api"]["depends_on"]["s3-bucket"] = {"condition": "service_healthy"}
    selftests["depends_on check accepts a target without healthcheck"] = check_compose(
        broken_dep, env_example, set(stages), raw_compose)
    selftests["demo date check accepts a date outside the data"] = check_demo_dates(
        {"selftest": 'airflow dags trigger adrecs_nightly -c \'{"date":"2019-01-01"}\''}, demo_dates)
    selftests["demo data check accepts another course"] = check_demo_dates({"selftest": "../shared/data/course-2019"}, demo_dates)
    selftests["Dockerfile check accepts a root image"] = check_dockerfile(read("Dockerfile").replace("USER 10001:10001", "USER root"))
    errors += [f"self-test failed: {name}" for name, found in selftests.items() if not found]

    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
