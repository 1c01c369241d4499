extension Duration {
    /// Whole milliseconds clamped to `0...Int32.max`, as libzmq options and `zmq_poll` take them.
    var clampedMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
        let (fromSeconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return .max }
        let milliseconds = fromSeconds + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(milliseconds, 0))
    }

    /// A duration of `milliseconds` ms.
    static func zeroMQMilliseconds(_ milliseconds: Int32) -> Duration {
        .milliseconds(Int64(milliseconds))
    }

    /// `"1.0 s"`, `"0.25 s"`: the clamped milliseconds as seconds, for error messages.
    var secondsText: String {
        "\(Double(clampedMilliseconds) / 1000) s"
    }
}
