import AdrecsRuntime
import Foundation
public import LibPQ
public import Logging
public import ServiceLifecycle

/// Keeps ``SnapshotStore`` current: loads at start, then reloads on every `NOTIFY adrecs_days`
/// (and on each listener (re)connect, since notifications sent meanwhile are lost) and on a timer.
///
/// Reloads run one at a time; triggers that arrive during a reload coalesce into one more. A
/// reload first reads the committed days' dates and run ids and rebuilds only if they changed;
/// before building, it waits for a snapshot replaced less than ``SnapshotStore/retirementGrace``
/// ago to be released, so at most two snapshots are in memory (the current one and the new one).
/// A failed reload is logged and counted (`adrecs_api_snapshot_reload_failures_total`) and the
/// current snapshot stays; until the first success, a failed load is retried every second.
public struct SnapshotReloader: Service {
    /// The channel the writer notifies after committing a day.
    public static let channel = "adrecs_days"

    let store: SnapshotStore
    let source: any SnapshotSource
    let interval: Duration
    let listener: PGListener?
    let metrics: APIMetrics
    let logger: Logger

    public init(
        store: SnapshotStore, source: any SnapshotSource, interval: Duration, listener: PGListener?,
        metrics: APIMetrics, logger: Logger
    ) {
        self.store = store
        self.source = source
        self.interval = interval
        self.listener = listener
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        let (triggers, trigger) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        trigger.yield()
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in triggers.cancelOnGracefulShutdown() {
                    await reload()
                }
            }
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    let wait = store.snapshot == nil ? Duration.seconds(1) : interval
                    try? await Task.sleep(for: wait)
                    // A released snapshot frees its arena; give those pages back too.
                    if store.purgeRetired() > 0 { HeapTrim.trim() }
                    trigger.yield()
                }
            }
            if let listener {
                group.addTask {
                    await listen(listener, trigger: trigger)
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        trigger.finish()
    }

    private func listen(_ listener: PGListener, trigger: AsyncStream<Void>.Continuation) async {
        do {
            for try await notification in listener {
                logger.debug("Reload notification", metadata: [
                    "adrecs.notification.payload": "\(notification.payload)",
                    "adrecs.notification.resync": "\(notification.isResync)",
                ])
                trigger.yield()
            }
        } catch {
            logger.error("Notification listener ended; reloading on the timer only", metadata: [
                LogKeys.error: "\(error)",
            ])
        }
    }

    /// Reloads once; returns whether a new snapshot was swapped in.
    @discardableResult
    public func reload() async -> Bool {
        do {
            let stamps = try await source.committedDays(limit: Snapshot.windowDays)
            let current = store.snapshot
            if let current, current.days == window(stamps) {
                metrics.reloads.increment()
                updateGauges(current)
                return false
            }
            // At most two snapshots at once: the current one and the one about to be built.
            if await store.releaseRetired() > 0 { HeapTrim.trim() }
            let buildStart = ContinuousClock.now
            var builder = SnapshotBuilder()
            try await source.load(limit: Snapshot.windowDays, into: &builder)
            metrics.reloads.increment()
            metrics.reloadDuration.record(ContinuousClock.now - buildStart)
            guard let snapshot = builder.finish() else {
                guard current != nil else {
                    logger.info("No committed day yet")
                    return false
                }
                // Every held day was retracted: serve nothing rather than days no longer committed.
                store.clear()
                metrics.latestCommittedDate.set(to: 0)
                logger.notice("No committed day any more; not ready until a day is committed")
                return true
            }
            store.replace(with: snapshot)
            updateGauges(snapshot)
            // The build's temporaries (row batches, per-advertiser buffers) are freed; give the heap back.
            HeapTrim.trim()
            logger.info("Snapshot loaded", metadata: [
                LogKeys.date: "\(snapshot.latest.date)",
                LogKeys.runID: "\(snapshot.latest.runID)",
                "adrecs.snapshot.days": "\(snapshot.days.count)",
                "adrecs.snapshot.advertisers": "\(snapshot.advertiserCount)",
                "adrecs.snapshot.bytes": "\(snapshot.byteCount)",
                LogKeys.durationSeconds: "\(ContinuousClock.now - buildStart)",
            ])
            return true
        } catch {
            metrics.reloadFailures.increment()
            logger.error("Snapshot reload failed; serving the previous snapshot", metadata: [
                LogKeys.error: "\(error)",
                "adrecs.snapshot.loaded": "\(store.snapshot != nil)",
            ])
            return false
        }
    }

    /// The stamps within ``Snapshot/windowDays`` of the newest, newest first.
    private func window(_ stamps: [DayStamp]) -> [DayStamp] {
        guard let newest = stamps.map(\.date).max() else { return [] }
        let horizon = newest.daysSince1970 - Snapshot.windowDays
        return stamps.filter { $0.date.daysSince1970 > horizon }.sorted { $0.date > $1.date }
    }

    private func updateGauges(_ snapshot: Snapshot) {
        metrics.snapshotBytes.set(to: Double(snapshot.byteCount))
        metrics.snapshotAdvertisers.set(to: Double(snapshot.advertiserCount))
        metrics.snapshotDays.set(to: Double(snapshot.days.count))
        metrics.latestCommittedDate.set(to: Double(snapshot.latest.date.daysSince1970 * 86_400))
    }
}
