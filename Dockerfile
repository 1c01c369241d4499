# syntax=docker/dockerfile:1
# One multi-target Dockerfile for the four services. Build one with its target:
#   docker build --target ingest -t adrecs-ingest .      (targets: ingest, models, writer, api)
# The builder compiles all four release binaries once (--static-swift-stdlib: they need only libc,
# libstdc++ and the four C libraries at run time); each runtime target copies its own.
# ENV lines are the documented configuration keys (services/<name>/README.md) with safe defaults
# for a container. Secrets (DB_URL, AWS_*) are never baked in: pass them at run time.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libzmq3-dev libpq-dev libcurl4-openssl-dev libzstd-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# scripts/build-release.sh is the one release build (`swift build -c release --static-swift-stdlib`
# per product); CI builds and smoke-tests the same binaries natively (scripts/smoke.sh). The .build
# cache mount keeps dependency checkouts and objects between builds; the script copies the
# binaries out of it to /out in the same step.
# The build context has no .git: the version and commit come from build args, stamped into the
# binaries (`--version`, /health, adrecs_build_info), e.g.
#   docker build --build-arg ADRECS_COMMIT=$(git rev-parse HEAD) --target api .
ARG ADRECS_VERSION=0.0.0-dev
ARG ADRECS_COMMIT=unknown
RUN --mount=type=cache,target=/src/.build ADRECS_VERSION="$ADRECS_VERSION" ADRECS_COMMIT="$ADRECS_COMMIT" scripts/build-release.sh /out

# Shared runtime: the four C libraries, CA certificates (TLS to S3 and RDS) and curl for the
# HEALTHCHECK. curl adds only its small CLI (~0.5 MB): libcurl4, which it links, is needed anyway,
# and it keeps the health check independent of the service's own code path.
FROM ${RUNTIME_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libzmq5 libpq5 libcurl4 libzstd1 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 adrecs \
 && useradd --system --uid 10001 --gid adrecs --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin adrecs
# The RDS CA bundle, for DB_URL with sslmode=verify-full&sslrootcert=/etc/ssl/certs/rds-global-bundle.pem
# (AWS; the compose stack's local PostgreSQL needs none of it).
ADD --chmod=0644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
ARG ADRECS_VERSION=0.0.0-dev
ARG ADRECS_COMMIT=unknown
LABEL org.opencontainers.image.version="${ADRECS_VERSION}" org.opencontainers.image.revision="${ADRECS_COMMIT}"
# One JSON object per log line, for CloudWatch Logs Insights (LOG_FORMAT=text for people).
ENV LOG_LEVEL=info \
    LOG_FORMAT=json
USER 10001:10001
WORKDIR /tmp

# Common keys of the three pipeline stages (DB_URL is a secret: given at run time, never here).
# S3 credentials come from the standard chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when given
# (compose's MinIO), else the ECS task role (container credentials endpoint), else IMDSv2.
# S3_ENDPOINT empty = AWS S3 (virtual-hosted addressing); set it for MinIO or another S3 server.
FROM runtime AS stage-base
ENV OPS_HOST=0.0.0.0 \
    DB_SCHEMA=public \
    DB_POOL_SIZE=4 \
    S3_ENDPOINT= \
    S3_REGION=us-east-1 \
    S3_BUCKET=adrecs \
    LEDGER_HEARTBEAT_SECONDS=2
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${OPS_PORT}/health" >/dev/null || exit 1
CMD ["serve"]

FROM stage-base AS ingest
COPY --from=build /out/adrecs-ingest /usr/local/bin/adrecs-ingest
# Ingest binds the PUSH socket models connect to: all interfaces inside the container.
ENV OPS_PORT=9101 \
    INGEST_RAW_LAYOUT=course \
    INGEST_RAW_PREFIX=raw/ \
    MESSAGING_MODELS_ENDPOINT=tcp://0.0.0.0:5557 \
    MESSAGING_SEND_TIMEOUT_MS=5000 \
    LEDGER_STALE_SECONDS=30
EXPOSE 9101 5557
ENTRYPOINT ["/usr/local/bin/adrecs-ingest"]

FROM stage-base AS models
COPY --from=build /out/adrecs-models /usr/local/bin/adrecs-models
# Models connects to both: the hosts are the ingest and writer services' names.
ENV OPS_PORT=9102 \
    MESSAGING_MODELS_ENDPOINT=tcp://ingest:5557 \
    MESSAGING_WRITER_ENDPOINT=tcp://writer:5558 \
    MESSAGING_SEND_TIMEOUT_MS=5000
EXPOSE 9102
ENTRYPOINT ["/usr/local/bin/adrecs-models"]

FROM stage-base AS writer
COPY --from=build /out/adrecs-writer /usr/local/bin/adrecs-writer
# The writer binds the PULL socket models connect to.
ENV OPS_PORT=9103 \
    MESSAGING_WRITER_ENDPOINT=tcp://0.0.0.0:5558 \
    WRITER_RETRY_SECONDS=30 \
    WRITER_MIN_ROWS_FRACTION=0.5
EXPOSE 9103 5558
ENTRYPOINT ["/usr/local/bin/adrecs-writer"]

# The public API: /ready answers 200 once a snapshot is loaded, so the health check uses it
# (an API without data is not healthy for a load balancer either).
FROM runtime AS api
COPY --from=build /out/adrecs-api /usr/local/bin/adrecs-api
ENV HTTP_HOST=0.0.0.0 \
    PORT=8080 \
    DB_SCHEMA=public \
    DB_POOL_SIZE=2 \
    API_RELOAD_SECONDS=30 \
    API_ACCESS_LOG=false
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/ready" >/dev/null || exit 1
ENTRYPOINT ["/usr/local/bin/adrecs-api"]
CMD ["serve"]
