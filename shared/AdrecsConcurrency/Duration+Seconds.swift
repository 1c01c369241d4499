/// The one place for `Duration` conversions: the C libraries (libzmq, libpq, libcurl, `usleep`)
/// take whole milliseconds or microseconds, log metadata and SQL intervals take seconds.
extension Duration {
    /// The duration in seconds, fractions included.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded toward zero; saturates at `Int64`'s bounds.
    public var wholeMilliseconds: Int64 { whole(unitsPerSecond: 1_000) }

    /// Whole microseconds, rounded toward zero; saturates at `Int64`'s bounds.
    public var wholeMicroseconds: Int64 { whole(unitsPerSecond: 1_000_000) }

    /// Whole nanoseconds, rounded toward zero; saturates at `Int64`'s bounds.
    public var wholeNanoseconds: Int64 { whole(unitsPerSecond: 1_000_000_000) }

    /// Whole milliseconds clamped to `0...Int32.max`, as C timeouts (`zmq_poll`, socket options,
    /// `PQsocketPoll`-style waits) take them.
    public var clampedMilliseconds: Int32 { Int32(clamping: max(wholeMilliseconds, 0)) }

    private func whole(unitsPerSecond: Int64) -> Int64 {
        let (seconds, attoseconds) = components
        let (fromSeconds, overflow) = seconds.multipliedReportingOverflow(by: unitsPerSecond)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, sumOverflow) = fromSeconds.addingReportingOverflow(attoseconds / (1_000_000_000_000_000_000 / unitsPerSecond))
        if sumOverflow { return seconds < 0 ? .min : .max }
        return total
    }
}
