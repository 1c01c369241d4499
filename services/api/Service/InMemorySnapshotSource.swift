public import AdrecsDomain
import Synchronization

/// A ``SnapshotSource`` over days held in memory, for tests and demos; ``fail`` simulates a
/// database outage.
public final class InMemorySnapshotSource: SnapshotSource {
    private struct State {
        var days: [SnapshotDay] = []
        var failing = false
    }
    private let state = Mutex(State())

    public init(days: [SnapshotDay] = []) {
        state.withLock { $0.days = days }
    }

    /// Adds `day`, replacing a day of the same date (a re-commit).
    public func commit(_ day: SnapshotDay) {
        state.withLock { state in
            state.days.removeAll { $0.stamp.date == day.stamp.date }
            state.days.append(day)
        }
    }

    /// Removes the day of `date` (a retraction).
    public func retract(_ date: Day) {
        state.withLock { $0.days.removeAll { $0.stamp.date == date } }
    }

    /// While `true`, every read throws.
    public func fail(_ failing: Bool) {
        state.withLock { $0.failing = failing }
    }

    public func committedDays(limit: Int) async throws -> [DayStamp] {
        try state.withLock { state in
            guard !state.failing else { throw Self.outage }
            return Array(state.days.map(\.stamp).sorted { $0.date > $1.date }.prefix(limit))
        }
    }

    public func load(limit: Int, into builder: inout SnapshotBuilder) async throws {
        let days = try state.withLock { state in
            guard !state.failing else { throw Self.outage }
            return Array(state.days.sorted { $0.stamp.date > $1.stamp.date }.prefix(limit))
        }
        builder.add(days)
    }

    private static let outage = APIError(status: .internalServerError, code: "source_down",
                                         message: "in-memory source is failing on purpose")
}
