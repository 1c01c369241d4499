public import Hummingbird
public import Prometheus

extension RouterMethods {
    /// Adds `GET /health` (JSON `{"status":"ok"}`) and `GET /metrics` (Prometheus text exposition
    /// of `registry`). Every adrecs HTTP server has both; a service adds its own routes beside them.
    @discardableResult
    public func addOpsRoutes(registry: PrometheusCollectorRegistry) -> Self {
        get("/health") { _, _ in HealthStatus.ok }
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
