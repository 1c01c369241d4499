#!/usr/bin/env python3
"""Static checks of the container and AWS files, run by scripts/check-static.sh.

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
     scripts/smoke.sh, checks the same files against the running services' /metrics). Beyond the
     `adrecs_` names, every metric in a PromQL expression (alert and recording rules, the rules'
     promtool tests, Grafana panels) is one a service exports, one Prometheus makes itself (`up`,
     `scrape_*`, `ALERTS`) or a recording rule's; each rule file Prometheus loads is mounted into
     compose's Prometheus.
  4. Each service README's config table lists exactly the keys, defaults and secret marks that the
     built binary's `--help` prints (both come from the service's Swift settings catalog);
     `check_static.py --print-tables` prints the tables as `--help` implies them.
  5. One demo data set: the documents that upload data and trigger nights (README.md, infra/README.md,
     compose.yaml, .env.example, scripts/run.sh, …) name no course but course-2025,
     and every date they trigger (`{"date":"…"}`, `--date`, a backfill's `--from-date`/`--to-date`,
     `airflow dags test … D`) is a date of it; scripts/sample-data.py's defaults (run.sh's data
     without ../shared/data) are on the same dates, and so is ../shared/data/course-2025 when present.
  6. Self-test: each check rejects a deliberately broken input, so a passing run means something.
Prints nothing on success; prints each problem and exits 1 otherwise.
"""
from __future__ import annotations

import copy
import datetime
import importlib.util
import json
import pathlib
import os
import re
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SERVICES = ["ingest", "models", "writer", "api"]
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
# Series Prometheus writes itself for every target or rule (no service exports them).
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
                     "scrape_series_added", "ALERTS", "ALERTS_FOR_STATE"}


# ------------------------------------------------------------------ sources of truth
def documented_keys(service: str) -> set[str]:
    """The keys in the config section of services/<service>/README.md (backticked UPPER_CASE)."""
    return set(re.findall(r"`([A-Z][A-Z0-9_]*[A-Z0-9])`", "\n".join(config_section(service))))


def config_section(service: str) -> list[str]:
    """The lines of the config section of services/<service>/README.md."""
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
    return section


def help_settings(text: str) -> dict[str, tuple[str | None, bool, str]]:
    """KEY → (default or None, secret, summary) from the ENVIRONMENT section of a binary's `--help`
    (SettingsCatalog.helpText: `  KEY=default` or `  KEY`, then the summary indented by six spaces)."""
    settings: dict[str, tuple[str | None, bool, str]] = {}
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("ENVIRONMENT")), None)
    if start is None:
        return settings
    key = None
    for line in lines[start + 1:]:
        match = re.match(r"^  ([A-Z][A-Z0-9_]*)(?:=(.*))?$", line)
        if match:
            key = match.group(1)
            settings[key] = (match.group(2), False, "")
        elif key is None:
            continue
        elif line.startswith("      "):
            default, _, summary = settings[key]
            summary = (summary + " " + line.strip()).strip()
            secret = summary.startswith("Secret. ")
            settings[key] = (default, secret, summary)
        else:
            break
    return settings


def readme_settings(service: str) -> dict[str, tuple[str | None, bool]]:
    """KEY → (default or None, secret) from the rows `| `KEY` | `default` or unset | meaning |` of
    the config section of services/<service>/README.md; a secret's meaning starts with **secret**."""
    settings = {}
    for line in config_section(service):
        match = re.match(r"^\s*\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*$", line)
        if match:
            cell = match.group(2)
            default = None if cell == "unset" else (cell[1:-1] if cell.startswith("`") and cell.endswith("`") else "?" + cell)
            settings[match.group(1)] = (default, match.group(3).startswith("**secret**"))
    return settings


def settings_table(settings: dict[str, tuple[str | None, bool, str]], indent: str = "") -> str:
    """The README table that `--help`'s settings imply."""
    rows = [f"{indent}| variable | default | meaning |", f"{indent}|---|---|---|"]
    for key, (default, secret, summary) in settings.items():
        meaning = ("**secret**: " + summary.removeprefix("Secret. ")) if secret else summary
        rows.append(f"{indent}| `{key}` | {'unset' if default is None else '`' + default + '`'} | {meaning.replace('|', '&#124;')} |")
    return "\n".join(rows)


def check_settings(service: str, helped: dict[str, tuple[str | None, bool, str]],
                   documented: dict[str, tuple[str | None, bool]]) -> list[str]:
    """The README table and `--help` list the same keys with the same defaults and secret marks."""
    where = f"services/{service}/README.md"
    if not helped:
        return [f"adrecs-{service} --help lists no environment keys"]
    errors = [f"{where}: config table lacks {k}, which adrecs-{service} --help lists" for k in helped if k not in documented]
    errors += [f"{where}: config table lists {k}, which adrecs-{service} --help does not" for k in documented if k not in helped]
    for key in helped.keys() & documented.keys():
        default, secret, _ = helped[key]
        if documented[key] != (default, secret):
            errors.append(f"{where}: {key} is documented as (default {documented[key][0]!r}, secret {documented[key][1]}), "
                          f"adrecs-{service} --help says (default {default!r}, secret {secret})")
    return errors


def release_binaries() -> pathlib.Path:
    """The folder of the release binaries: $ADRECS_BIN, else scripts/build-release.sh's (it builds
    what is out of date, the way the images are built)."""
    if os.environ.get("ADRECS_BIN"):
        return pathlib.Path(os.environ["ADRECS_BIN"])
    out = subprocess.run([str(ROOT / "scripts/build-release.sh")], check=True, capture_output=True, text=True).stdout
    return pathlib.Path(out.strip().splitlines()[-1])


def binary_help(binary: pathlib.Path) -> str:
    return subprocess.run([str(binary), "--help"], check=True, capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80"}).stdout


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
        names.update(re.findall(r'"(adrecs_[a-z0-9_]+_(?:total|seconds|bytes|info))"', text))
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
            if is_metrics_sidecar(container):
                continue  # configured by the CloudWatch agent's own keys (check_metrics_sidecars)
            keys = {e["Name"] for e in container.get("Environment", [])} | {e["Name"] for e in container.get("Secrets", [])}
            out.append((f"{path.name} container {container.get('Name')}", container.get("Name"), keys))
        image_config = node.get("ImageConfiguration")
        if isinstance(image_config, dict) and "RuntimeEnvironmentVariables" in image_config:
            keys = {e["Name"] for e in image_config.get("RuntimeEnvironmentVariables", [])}
            keys |= {e["Name"] for e in image_config.get("RuntimeEnvironmentSecrets", [])}
            out.append((f"{path.name} App Runner service", "api", keys))
    walk(template, visit)
    return out


def sidecar_declarations(template: dict) -> list[tuple[set[str], list[set[str]]]]:
    """(metric names, dimension sets) of each EMF declaration of the template's metrics sidecars."""
    out = []

    def visit(node):
        if not (isinstance(node, dict) and is_metrics_sidecar(node)):
            return
        for e in node.get("Environment", []):
            if e.get("Name") == "CW_CONFIG_CONTENT":
                value = e.get("Value")
                text = value.get("Fn::Sub") if isinstance(value, dict) else value
                text = text[0] if isinstance(text, list) else text
                config = json.loads(re.sub(r"\$\{[^}]*\}", "x", text))
                for d in config["logs"]["metrics_collected"]["prometheus"]["emf_processor"]["metric_declaration"]:
                    out.append(({sel.strip("^$") for sel in d["metric_selectors"]}, [set(dims) for dims in d["dimensions"]]))
    walk(template, visit)
    return out


def check_alarm_metrics(path: pathlib.Path, template: dict) -> list[str]:
    """Each alarm on an `adrecs_` metric names a metric and a dimension set the sidecars send."""
    declared = sidecar_declarations(template)
    errors = []
    for name, resource in (template.get("Resources") or {}).items():
        if resource.get("Type") != "AWS::CloudWatch::Alarm":
            continue
        props = resource.get("Properties") or {}
        metrics = [props] + [(m.get("MetricStat") or {}).get("Metric") or {} for m in props.get("Metrics") or []]
        for metric in metrics:
            metric_name = metric.get("MetricName")
            if not isinstance(metric_name, str) or not metric_name.startswith("adrecs_"):
                continue
            dims = {d.get("Name") for d in metric.get("Dimensions") or []}
            if not any(metric_name in names and dims in sets for names, sets in declared):
                errors.append(f"{path.name} {name}: no metrics sidecar sends {metric_name} with dimensions {sorted(dims)}")
    return errors


def template_metric_names(template: dict) -> list[str]:
    """The metric names a template's alarms (`MetricName`) and metrics sidecars (the CloudWatch
    agent's `metric_selectors`) name."""
    names = [n for selected, _ in sidecar_declarations(template) for n in selected]

    def visit(node):
        if isinstance(node, dict) and isinstance(node.get("MetricName"), str):
            names.append(node["MetricName"])
    walk(template, visit)
    return names


def is_metrics_sidecar(container: dict) -> bool:
    """The CloudWatch agent container that scrapes a task's /metrics (services.yaml)."""
    return container.get("Image") == {"Ref": "CloudWatchAgentImage"}


def check_metrics_sidecars(path: pathlib.Path, template: dict) -> list[str]:
    """In each ECS task with a metrics sidecar, the sidecar scrapes a port of the task's service
    container (at /metrics, Prometheus's default path) under the job name prometheus.yml gives it."""
    jobs = {"api": "adrecs-api"} | {s: "adrecs-stages" for s in SERVICES if s != "api"}
    errors = []

    def visit(node):
        containers = node.get("ContainerDefinitions") if isinstance(node, dict) else None
        if not isinstance(containers, list):
            return
        services = [c for c in containers if c.get("Name") in SERVICES]
        for sidecar in filter(is_metrics_sidecar, containers):
            where = f"{path.name} task {services[0]['Name'] if services else '?'}: metrics sidecar"
            env = {e.get("Name"): e.get("Value") for e in sidecar.get("Environment", [])}
            scrape = yaml.safe_load(env.get("PROMETHEUS_CONFIG_CONTENT") or "{}") or {}
            if len(services) != 1 or "CW_CONFIG_CONTENT" not in env:
                errors.append(f"{where}: needs one service container beside it and CW_CONFIG_CONTENT")
                continue
            service = services[0]
            ports = {str(m.get("ContainerPort")) for m in service.get("PortMappings", [])}
            for job in scrape.get("scrape_configs") or []:
                targets = [t for static in job.get("static_configs") or [] for t in static.get("targets") or []]
                if job.get("job_name") != jobs[service["Name"]]:
                    errors.append(f"{where}: job {job.get('job_name')!r}, but the rules and dashboards expect {jobs[service['Name']]!r}")
                if job.get("metrics_path", "/metrics") != "/metrics" or not targets or \
                        any(not t.startswith("127.0.0.1:") or t.split(":")[1] not in ports for t in targets):
                    errors.append(f"{where}: scrapes {targets} {job.get('metrics_path', '/metrics')}, not the service's own port")
            if not scrape.get("scrape_configs"):
                errors.append(f"{where}: PROMETHEUS_CONFIG_CONTENT has no scrape_configs")
    walk(template, visit)
    return errors


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
        # The settings catalogs name every key (`Setting("DB_URL", …)`): not a read.
        code = re.sub(r'Setting\(\s*"[A-Z][A-Z0-9_]*"', "Setting(", shared + swift_sources(f"services/{service}"))
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


PROMQL_KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
                  "bool", "offset", "inf", "nan", "Inf", "NaN"}


def promql_metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects: identifiers that are neither functions (a name
    followed by `(`), keywords, label names (inside `{…}` or a `by (…)`/`on (…)` clause) nor inside
    strings, ranges or Grafana variables."""
    text = re.sub(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`""", '""', expr)
    text = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\$\{?\w+\}?", " ", text)
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\boffset\s+-?\w+", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])(?!\s*\()", text):
        if match.group(1) not in PROMQL_KEYWORDS:
            names.add(match.group(1))
    return names


def promql_expressions(files: dict[str, str]) -> dict[str, list[str]]:
    """Per monitoring file, its PromQL: rule `expr`s (rule files), the series and `expr`s of promtool
    tests (test files), and the panels' query `expr`s (Grafana dashboards)."""
    out: dict[str, list[str]] = {}
    for name, text in files.items():
        exprs: list[str] = []
        document = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
        if not isinstance(document, dict):
            continue
        for group in document.get("groups") or []:
            exprs += [str(rule["expr"]) for rule in group.get("rules") or [] if "expr" in rule]
        for test in document.get("tests") or []:
            exprs += [str(series["series"]) for series in test.get("input_series") or []]
            exprs += [str(case["expr"]) for case in test.get("promql_expr_test") or []]
        for panel in document.get("panels") or []:
            exprs += [str(target["expr"]) for target in panel.get("targets") or [] if target.get("expr")]
        if exprs:
            out[name] = exprs
    return out


def recording_rules(files: dict[str, str]) -> set[str]:
    return {str(rule["record"]) for name, text in files.items() if name.endswith((".yml", ".yaml"))
            for group in (yaml.safe_load(text) or {}).get("groups") or [] for rule in group.get("rules") or []
            if "record" in rule}


def check_promql_metrics(expressions: dict[str, list[str]], exported: set[str], recorded: set[str]) -> list[str]:
    """Every metric a rule, rule test or panel selects is exported by a service (a histogram's
    `_bucket`, `_sum`, `_count` count as its name), made by Prometheus, or recorded by a rule."""
    known = exported | PROMETHEUS_SERIES | recorded
    errors = []
    for name, exprs in expressions.items():
        for ref in sorted({ref for expr in exprs for ref in promql_metric_names(expr)}):
            base = next((ref[: -len(s)] for s in HISTOGRAM_SUFFIXES if ref.endswith(s) and ref[: -len(s)] in exported), ref)
            if base not in known:
                errors.append(f"{name}: query names metric {ref}, which no service exports")
    return errors


def check_rule_files(prometheus: dict, compose: dict) -> list[str]:
    """Each rule file of prometheus.yml exists beside it and compose mounts it next to the config."""
    errors = []
    volumes = compose["services"].get("prometheus", {}).get("volumes", [])
    mounts = {parts[1]: parts[0] for parts in (v.split(":") for v in volumes if isinstance(v, str)) if len(parts) > 1}
    config = next((target for target, source in mounts.items() if source.endswith("/prometheus.yml")), "/etc/prometheus/prometheus.yml")
    config_dir = pathlib.PurePosixPath(config).parent
    for rule_file in prometheus.get("rule_files") or []:
        source = f"./infra/monitoring/{rule_file}"
        if not (ROOT / source).is_file():
            errors.append(f"infra/monitoring/prometheus.yml: rule file {rule_file} does not exist")
        if mounts.get(str(config_dir / rule_file)) != source:
            errors.append(f"compose.yaml: prometheus does not mount {source} at {config_dir / rule_file}")
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
        if panel.get("type") != "stat":
            continue
        # A stat's colour must say good or bad: Grafana's default (red from 80) says neither.
        defaults = (panel.get("fieldConfig") or {}).get("defaults") or {}
        if len(((defaults.get("thresholds") or {}).get("steps")) or []) < 2:
            errors.append(f"dashboard stat {panel.get('title')!r}: no thresholds of its own (Grafana's default red-from-80)")
        # A counter with nothing counted yet shows 0, not "No data".
        exprs = [t.get("expr", "") for t in panel.get("targets") or []]
        if any("_total" in e for e in exprs) and "noValue" not in defaults and not all("vector(0)" in e for e in exprs):
            errors.append(f"dashboard stat {panel.get('title')!r}: counts a counter but shows \"No data\" for none (noValue or `or vector(0)`)")
    return errors


# ------------------------------------------------------------------ main
# ------------------------------------------------------------------ the demo data and its dates
DEMO_COURSE = "course-2025"
# The documents that upload the demo data or trigger nights on it.
DEMO_DOCUMENTS = ["README.md", "docs/development.md", "infra/README.md", "compose.yaml", ".env.example",
                  "dags/README.md", "scripts/run.sh", *(f"services/{s}/README.md" for s in SERVICES)]
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
    binaries = release_binaries()
    helped = {s: help_settings(binary_help(binaries / f"adrecs-{s}")) for s in SERVICES}
    if "--print-tables" in sys.argv:
        for service in SERVICES:
            print(f"services/{service}/README.md:\n{settings_table(helped[service])}\n")
        return 0
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
    errors += check_metrics({f"infra/{p.name}": " ".join(template_metric_names(t)) for p, t in templates.items()}, exported)
    for path, template in templates.items():
        errors += check_metrics_sidecars(path, template)
        errors += check_alarm_metrics(path, template)
    expressions = promql_expressions(monitoring)
    recorded = recording_rules(monitoring)
    errors += check_promql_metrics(expressions, exported, recorded)
    prometheus = yaml.safe_load(monitoring.get("infra/monitoring/prometheus.yml", "{}")) or {}
    errors += check_rule_files(prometheus, compose)
    if not any("groups" in (yaml.safe_load(t) or {}) for n, t in monitoring.items() if n.endswith((".yml", ".yaml"))):
        errors.append("infra/monitoring: no alert rule file (groups:) found")
    errors += check_airflow_connections(texts)
    for service in SERVICES:
        errors += check_settings(service, helped[service], readme_settings(service))
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
        "PromQL check accepts a metric no service exports":
            check_promql_metrics({"selftest": ['sum by (job) (rate(node_cpu_seconds_total{mode="idle"}[5m])) or vector(0)']}, exported, recorded),
        "PromQL check accepts an unknown series in a rule test":
            check_promql_metrics(promql_expressions({"selftest.yml": "tests: [{input_series: [{series: 'adrecs_nope_total{a=\"b\"}', values: '1'}]}]"}), exported, recorded),
        "rule file check accepts an unmounted rule file":
            check_rule_files({"rule_files": ["alerts.yml"]}, {"services": {"prometheus": {"volumes": []}}}),
    }
    services_yaml = next((t for p, t in templates.items() if p.name == "services.yaml"), None)
    if services_yaml is not None:
        broken_sidecar = copy.deepcopy(services_yaml)
        found_sidecar = False
        def break_port(node):
            nonlocal found_sidecar
            for container in (node.get("ContainerDefinitions") or []) if isinstance(node, dict) else []:
                if is_metrics_sidecar(container) and not found_sidecar:
                    for e in container["Environment"]:
                        if e["Name"] == "PROMETHEUS_CONFIG_CONTENT":
                            e["Value"] = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:1", e["Value"])
                            found_sidecar = True
        walk(broken_sidecar, break_port)
        broken_alarm = copy.deepcopy(services_yaml)
        broken_alarm["Resources"]["selftest"] = {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "MetricName": "adrecs_runs_total", "Dimensions": [{"Name": "kind", "Value": "read"}]}}
        selftests["alarm check accepts a dimension set no sidecar sends"] = check_alarm_metrics(pathlib.Path("services.yaml"), broken_alarm)
        selftests["sidecar check accepts a scrape of a port the service does not have"] = \
            check_metrics_sidecars(pathlib.Path("services.yaml"), broken_sidecar) if found_sidecar else []
    if check_promql_metrics({"selftest": [
            'sum by (stage, outcome) (increase(adrecs_runs_total{outcome=~"failed|abandoned"}[$__rate_interval])) or on() vector(0)',
            'histogram_quantile(0.95, sum by (le) (rate(adrecs_stage_duration_seconds_bucket[1h]))) > 1e3',
            'time() - up offset 5m > bool 1']}, exported, recorded):
        errors.append("self-test failed: PromQL check rejects valid queries")
    broken_dep = copy.deepcopy(compose)
    broken_dep["services"]["api"]["depends_on"]["s3-bucket"] = {"condition": "service_healthy"}
    selftests["depends_on check accepts a target without healthcheck"] = check_compose(
        broken_dep, env_example, set(stages), raw_compose)
    selftests["demo date check accepts a date outside the data"] = check_demo_dates(
        {"selftest": 'airflow dags trigger adrecs_nightly -c \'{"date":"2019-01-01"}\''}, demo_dates)
    selftests["demo data check accepts another course"] = check_demo_dates({"selftest": "../shared/data/course-2019"}, demo_dates)
    broken_settings = {k: (("changed", *v[1:]) if k == "LOG_LEVEL" else v) for k, v in readme_settings("api").items()}
    selftests["settings check accepts a README default that --help contradicts"] = check_settings("api", helped["api"], broken_settings)
    selftests["settings check accepts a key missing from the README"] = check_settings(
        "api", {**helped["api"], "NOT_A_KEY": (None, False, "")}, readme_settings("api"))
    selftests["Dockerfile check accepts a root image"] = check_dockerfile(read("Dockerfile").replace("USER 10001:10001", "USER root"))
    bare_stat = {"panels": [{"type": "stat", "title": "t", "datasource": {"uid": "x"}, "fieldConfig": {"defaults": {}},
                             "targets": [{"expr": "sum(increase(adrecs_runs_total[24h]))"}]}]}
    found = check_dashboard(bare_stat, {"x"})
    selftests["dashboard check accepts a stat with default thresholds"] = [e for e in found if "thresholds" in e]
    selftests["dashboard check accepts a counter stat showing No data"] = [e for e in found if "No data" in e]
    errors += [f"self-test failed: {name}" for name, found in selftests.items() if not found]

    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
