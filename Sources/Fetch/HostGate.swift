import Glibc

/// Per-host politeness: at most `maxPerHost` fetches in flight to one host, and request starts
/// to one host spaced at least `delaySeconds` apart.
actor HostGate {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct HostState {
        var active = 0
        var waiters: [Waiter] = []
        var nextStart: Double = 0
    }

    private let maxPerHost: Int
    private let delaySeconds: Double
    private var hosts: [String: HostState] = [:]
    private var nextWaiterID: UInt64 = 0

    init(maxPerHost: Int, delaySeconds: Double) {
        self.maxPerHost = max(1, maxPerHost)
        self.delaySeconds = max(0, delaySeconds)
    }

    /// Waits for a slot for `host`.
    ///
    /// Returns how long the caller must still wait before starting (the spacing), after which
    /// it must call ``release(_:)`` exactly once; or `nil` when the task was cancelled while
    /// queued, in which case it holds no slot and must not release.
    func acquire(_ host: String) async -> Double? {
        var state = hosts[host] ?? HostState()
        if state.active < maxPerHost {
            state.active += 1
            hosts[host] = state
        } else {
            nextWaiterID += 1
            let id = nextWaiterID
            let granted = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                    if Task.isCancelled {
                        continuation.resume(returning: false)
                    } else {
                        hosts[host, default: HostState()].waiters.append(Waiter(id: id, continuation: continuation))
                    }
                }
            } onCancel: {
                Task { await self.dropWaiter(host, id) }
            }
            // When granted, the releasing task handed its slot over: `active` was not decremented.
            guard granted else { return nil }
        }
        var current = hosts[host] ?? HostState()
        let now = monotonicNow()
        let start = max(now, current.nextStart)
        current.nextStart = start + delaySeconds
        hosts[host] = current
        return start - now
    }

    /// Gives the slot to the next waiter for `host`, or frees it.
    func release(_ host: String) {
        guard var state = hosts[host] else { return }
        if !state.waiters.isEmpty {
            let next = state.waiters.removeFirst()
            hosts[host] = state
            next.continuation.resume(returning: true)
            return
        }
        state.active -= 1
        if state.active <= 0 && state.nextStart <= monotonicNow() {
            hosts[host] = nil
        } else {
            hosts[host] = state
        }
    }

    private func dropWaiter(_ host: String, _ id: UInt64) {
        guard var state = hosts[host], let index = state.waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = state.waiters.remove(at: index)
        hosts[host] = state
        waiter.continuation.resume(returning: false)
    }
}

/// Seconds on the monotonic clock.
func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
