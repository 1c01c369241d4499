import AdrecsRuntime
import Prometheus
import Testing

@Suite struct StageMetricsTests {
    /// A registry of the test's own (never the global backend) and a factory with two known buckets.
    private func makeMetrics(stage: String) -> (StageMetrics, PrometheusCollectorRegistry) {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[MetricNames.stageDuration] = [.seconds(1), .seconds(10)]
        return (StageMetrics(stage: stage, factory: factory), registry)
    }

    private func lines(_ registry: PrometheusCollectorRegistry) -> Set<Substring> {
        Set(registry.emitToString().split(separator: "\n"))
    }

    @Test func everySeriesExistsAtZeroFromInit() {
        let (_, registry) = makeMetrics(stage: "writer")
        let rendered = lines(registry)
        for outcome in RunOutcome.allCases {
            #expect(rendered.contains(#"adrecs_runs_total{stage="writer",outcome="\#(outcome.rawValue)"} 0"#))
        }
        for kind in RowKind.allCases {
            #expect(rendered.contains(#"adrecs_rows_total{stage="writer",kind="\#(kind.rawValue)"} 0"#))
        }
        for direction in ByteDirection.allCases {
            #expect(rendered.contains(#"adrecs_bytes_total{stage="writer",direction="\#(direction.rawValue)"} 0"#))
        }
        for cause in FailureCause.allCases {
            #expect(rendered.contains(#"adrecs_stage_failures_total{stage="writer",cause="\#(cause.rawValue)"} 0"#))
        }
        #expect(rendered.contains(#"adrecs_stage_duration_seconds_count{stage="writer"} 0"#))
        #expect(rendered.contains(#"adrecs_last_success_timestamp_seconds{stage="writer"} 0.0"#))
        #expect(rendered.contains(#"adrecs_stage_running_since_timestamp_seconds{stage="writer"} 0.0"#))
    }

    @Test func aRunIsMarkedFromItsStartToItsEndAndOnlyASuccessStampsLastSuccess() {
        let (metrics, registry) = makeMetrics(stage: "models")
        let running = #"adrecs_stage_running_since_timestamp_seconds{stage="models"} "#
        let success = #"adrecs_last_success_timestamp_seconds{stage="models"} "#
        metrics.recordStart(at: 1_700_000_000)
        #expect(lines(registry).contains(Substring(running + "1700000000.0")))
        metrics.recordRun(.failed, duration: .seconds(3))
        #expect(lines(registry).isSuperset(of: [Substring(running + "0.0"), Substring(success + "0.0")]))

        metrics.recordStart(at: 1_700_000_100)
        metrics.recordRun(.succeeded, duration: .seconds(4))
        metrics.recordSuccess(at: 1_700_000_104.5)
        #expect(lines(registry).isSuperset(of: [Substring(running + "0.0"), Substring(success + "1700000104.5")]))
    }

    @Test func rendersRecordedValuesExactly() {
        let (metrics, registry) = makeMetrics(stage: "ingest")
        metrics.recordRun(.succeeded, duration: .milliseconds(1500))
        metrics.recordRun(.failed, duration: .seconds(20))
        metrics.recordFailure(.storage)
        metrics.recordRows(1000, .read)
        metrics.recordRows(990, .kept)
        metrics.recordRows(10, .quarantined)
        metrics.recordRows(5, .quarantined)
        metrics.recordBytes(4096, .read)

        let rendered = lines(registry)
        let expected: [Substring] = [
            "# TYPE adrecs_runs_total counter",
            #"adrecs_runs_total{stage="ingest",outcome="succeeded"} 1"#,
            #"adrecs_runs_total{stage="ingest",outcome="failed"} 1"#,
            #"adrecs_runs_total{stage="ingest",outcome="abandoned"} 0"#,
            "# TYPE adrecs_rows_total counter",
            #"adrecs_rows_total{stage="ingest",kind="read"} 1000"#,
            #"adrecs_rows_total{stage="ingest",kind="kept"} 990"#,
            #"adrecs_rows_total{stage="ingest",kind="quarantined"} 15"#,
            #"adrecs_rows_total{stage="ingest",kind="written"} 0"#,
            "# TYPE adrecs_bytes_total counter",
            #"adrecs_bytes_total{stage="ingest",direction="read"} 4096"#,
            #"adrecs_bytes_total{stage="ingest",direction="written"} 0"#,
            "# TYPE adrecs_stage_failures_total counter",
            #"adrecs_stage_failures_total{stage="ingest",cause="storage"} 1"#,
            #"adrecs_stage_failures_total{stage="ingest",cause="database"} 0"#,
            "# TYPE adrecs_stage_duration_seconds histogram",
            #"adrecs_stage_duration_seconds_bucket{stage="ingest",le="1.0"} 0"#,
            #"adrecs_stage_duration_seconds_bucket{stage="ingest",le="10.0"} 1"#,
            #"adrecs_stage_duration_seconds_bucket{stage="ingest",le="+Inf"} 2"#,
            #"adrecs_stage_duration_seconds_sum{stage="ingest"} 21.5"#,
            #"adrecs_stage_duration_seconds_count{stage="ingest"} 2"#,
        ]
        #expect(expected.filter { !rendered.contains($0) } == [])
    }

    @Test func stagesKeepSeparateSeries() {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let models = StageMetrics(stage: "models", factory: factory)
        let writer = StageMetrics(stage: "writer", factory: factory)
        models.recordRows(20, .written)
        writer.recordRows(7, .written)
        writer.recordRows(3, .written)
        let rendered = lines(registry)
        #expect(rendered.contains(#"adrecs_rows_total{stage="models",kind="written"} 20"#))
        #expect(rendered.contains(#"adrecs_rows_total{stage="writer",kind="written"} 10"#))
        #expect(models.stage == "models")
    }
}
