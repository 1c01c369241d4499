extension PGPool {
    /// The outcome of trying to take a slot under the lock.
    private enum Take {
        case slot(PGPoolSlot)
        case failure(any Error)
        case waiting
    }

    /// Takes an idle slot, creates one below the limit, or waits for one (cancellably, and at
    /// most ``Configuration/maxWait``).
    func acquire(fileID: String, line: Int) async throws -> PGPoolSlot {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let limit = configuration.maxConnections
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PGPoolSlot, any Error>) in
                let take: Take = state.withLock { state in
                    if state.isClosed { return .failure(PGError(.pool, message: "the pool is closed", fileID: fileID, line: line)) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if let slot = state.idle.popLast() { return .slot(slot) }
                    if state.created < limit {
                        state.created += 1
                        return .slot(PGPoolSlot())
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .waiting
                }
                switch take {
                case .slot(let slot): continuation.resume(returning: slot)
                case .failure(let error): continuation.resume(throwing: error)
                case .waiting: startTimer(forWaiter: id, fileID: fileID, line: line)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.timer?.cancel()
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Fails waiter `id` with a `53300` ``PGError`` if it still waits after ``Configuration/maxWait``.
    private func startTimer(forWaiter id: Int, fileID: String, line: Int) {
        guard let maxWait = configuration.maxWait else { return }
        let limit = configuration.maxConnections
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: maxWait)) != nil, let self else { return }
            let waiter = self.state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: PGError(
                .pool, sqlState: PGError.poolTimeoutState,
                message: "no connection of the pool (\(limit)) became free within \(maxWait)",
                fileID: fileID, line: line))
        }
        let handedOver = state.withLock { state -> Bool in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return true }
            state.waiters[index].timer = timer
            return false
        }
        if handedOver { timer.cancel() }
    }

    /// Returns a slot: to the first waiter, else to the idle list; closes it if the pool is closed.
    func release(_ slot: PGPoolSlot) {
        let (waiter, closed) = state.withLock { state -> (Waiter?, Bool) in
            if state.isClosed { return (nil, true) }
            if !state.waiters.isEmpty { return (state.waiters.removeFirst(), false) }
            state.idle.append(slot)
            return (nil, false)
        }
        if closed { slot.close() }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(returning: slot)
    }
}
