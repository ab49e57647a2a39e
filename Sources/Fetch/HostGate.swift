import Glibc

/// Per-host politeness: at most `maxPerHost` fetches in flight to one host, and request starts
/// to one host spaced at least `delaySeconds` apart.
actor HostGate {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    /// Waiters in arrival order. Popping is O(1) (a head index, compacted now and then) so a host
    /// with tens of thousands of queued fetches costs no more per fetch than one with a few.
    private struct WaiterQueue {
        private var items: [Waiter?] = []
        private var head = 0
        private(set) var count = 0

        var isEmpty: Bool { count == 0 }

        mutating func append(_ waiter: Waiter) {
            items.append(waiter)
            count += 1
        }

        mutating func popFirst() -> Waiter? {
            while head < items.count {
                let waiter = items[head]
                items[head] = nil
                head += 1
                if let waiter {
                    count -= 1
                    compactIfSparse()
                    return waiter
                }
            }
            return nil
        }

        /// Removes the waiter with `id` (a cancelled fetch), if still queued.
        mutating func remove(id: UInt64) -> Waiter? {
            guard let index = items[head...].firstIndex(where: { $0?.id == id }), let waiter = items[index] else {
                return nil
            }
            items[index] = nil
            count -= 1
            return waiter
        }

        private mutating func compactIfSparse() {
            if head >= 1024 && head * 2 >= items.count {
                items.removeFirst(head)
                head = 0
            }
        }
    }

    private struct HostState {
        var active = 0
        var waiters = WaiterQueue()
        var nextStart: Double = 0
    }

    private let maxPerHost: Int
    private let delaySeconds: Double
    private let clock: @Sendable () -> Double
    /// Hosts with a fetch in flight, queued fetches, or a reserved start still ahead. A host whose
    /// last fetch ended before its spacing ran out stays here idle until it is swept.
    private var hosts: [String: HostState] = [:]
    /// The host count at which idle entries are swept next: twice the count left by the last
    /// sweep, so sweeping costs O(1) per release however many hosts come and go.
    private var sweepAt = HostGate.minimumSweepCount
    private var nextWaiterID: UInt64 = 0

    static let minimumSweepCount = 64

    /// Creates a gate.
    ///
    /// - Parameters:
    ///   - maxPerHost: Fetches in flight to one host at most.
    ///   - delaySeconds: Spacing of request starts to one host.
    ///   - clock: Seconds on a monotonic clock (tests pass a manual one).
    init(maxPerHost: Int, delaySeconds: Double, clock: @escaping @Sendable () -> Double = monotonicNow) {
        self.maxPerHost = max(1, maxPerHost)
        self.delaySeconds = max(0, delaySeconds)
        self.clock = clock
    }

    /// The number of hosts the gate keeps state for (in flight, queued or within their spacing).
    var trackedHostCount: Int { hosts.count }

    /// Waits for a slot for `host`.
    ///
    /// Returns how long the caller must still wait before starting (the spacing), after which
    /// it must call ``release(_:)`` exactly once; or `nil` when the task was cancelled while
    /// queued, in which case it holds no slot and must not release.
    func acquire(_ host: String) async -> Double? {
        if hosts[host, default: HostState()].active < maxPerHost {
            hosts[host, default: HostState()].active += 1
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
        let now = clock()
        let start = max(now, hosts[host, default: HostState()].nextStart)
        hosts[host, default: HostState()].nextStart = start + delaySeconds
        return start - now
    }

    /// Gives the slot to the next waiter for `host`, or frees it.
    func release(_ host: String) {
        // Mutated in place (no copy of the queue per call).
        if let next = hosts[host]?.waiters.popFirst() {
            next.continuation.resume(returning: true)
            return
        }
        guard let state = hosts[host] else { return }
        let now = clock()
        if state.active <= 1 && state.nextStart <= now {
            hosts[host] = nil
        } else {
            hosts[host]?.active -= 1
        }
        if hosts.count >= sweepAt { sweepIdle(now: now) }
    }

    /// Forgets hosts with nothing in flight or queued whose spacing has run out: their state is
    /// the default again. Without it, every host fetched once within its spacing would stay.
    private func sweepIdle(now: Double) {
        hosts = hosts.filter { _, state in state.active > 0 || !state.waiters.isEmpty || state.nextStart > now }
        sweepAt = max(Self.minimumSweepCount, hosts.count * 2)
    }

    private func dropWaiter(_ host: String, _ id: UInt64) {
        guard let waiter = hosts[host]?.waiters.remove(id: id) else { return }
        waiter.continuation.resume(returning: false)
    }
}

/// Seconds on the monotonic clock.
func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
