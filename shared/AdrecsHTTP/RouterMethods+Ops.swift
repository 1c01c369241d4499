public import Hummingbird
public import Prometheus

extension RouterMethods {
    /// Adds `GET /health` (JSON `{"status":"ok"}`) and `GET /metrics` (Prometheus text exposition
    /// of `registry`). Every adrecs HTTP server has both; a service adds its own routes beside them.
    /// With `readiness`, also `GET /ready`: 200 `{"status":"ready"}` while it holds, else 503
    /// `{"status":"not_ready"}` (a stage whose worker loop stopped or lost its database).
    @discardableResult
    public func addOpsRoutes(registry: PrometheusCollectorRegistry, readiness: (@Sendable () -> Bool)? = nil) -> Self {
        get("/health") { _, _ in HealthStatus.ok }
        if let readiness {
            get("/ready") { _, _ -> Response in
                let ready = readiness()
                return Response(
                    status: ready ? .ok : .serviceUnavailable,
                    headers: [.contentType: "application/json"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: ready ? #"{"status":"ready"}"# : #"{"status":"not_ready"}"#)))
            }
        }
        get("/metrics") { _, _ in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(4096)
            registry.emit(into: &bytes)
            return Response(
                status: .ok,
                headers: [.contentType: OpsHTTP.prometheusContentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
        return self
    }
}
