import Glibc
import Synchronization
import Testing

@testable import Fetch

struct HostGateTests {
    @Test func startsToOneHostAreReservedDelayApart() async {
        let gate = HostGate(maxPerHost: 4, delaySeconds: 0.2)
        var waits: [Double] = []
        var before: [Double] = []
        var after: [Double] = []
        for _ in 0..<3 {
            before.append(monotonicNow())
            waits.append(await gate.acquire("a.example") ?? -1)
            after.append(monotonicNow())
        }
        // The k-th start is reserved at (first call's time) + k × 0.2 s; the wait is that minus
        // the k-th call's time, which lies between the recorded before/after instants.
        for k in 1..<3 {
            let low = max(0, before[0] + Double(k) * 0.2 - after[k]) - 0.001
            let high = max(0, after[0] + Double(k) * 0.2 - before[k]) + 0.001
            #expect(waits[k] >= low && waits[k] <= high, "wait \(k): \(waits[k]) not in \(low)...\(high)")
        }
        #expect(waits[0] == 0)
        #expect(await gate.acquire("b.example") == 0)
    }

    @Test func aFullHostQueuesUntilASlotIsReleased() async throws {
        let gate = HostGate(maxPerHost: 1, delaySeconds: 0)
        #expect(await gate.acquire("h") == 0)
        let queued = Task { await gate.acquire("h") }
        try await Task.sleep(for: .milliseconds(50))
        await gate.release("h")
        #expect(await queued.value == 0)
    }

    @Test func aCancelledWaiterLeavesTheQueueWithoutASlot() async throws {
        let gate = HostGate(maxPerHost: 1, delaySeconds: 0)
        #expect(await gate.acquire("h") == 0)
        let queued = Task { await gate.acquire("h") }
        try await Task.sleep(for: .milliseconds(50))
        queued.cancel()
        #expect(await queued.value == nil)
        // The slot is still held by the first caller; releasing it frees the host for the next one.
        await gate.release("h")
        #expect(await gate.acquire("h") == 0)
    }

    @Test func hostsWhoseSpacingRanOutAreForgotten() async {
        let clock = ManualClock()
        let gate = HostGate(maxPerHost: 2, delaySeconds: 1, clock: { clock.now })
        // Each host fetched once, ending within its spacing: its reserved next start is kept.
        let hosts = (0..<(HostGate.minimumSweepCount - 1)).map { "h\($0).example" }
        for host in hosts {
            #expect(await gate.acquire(host) == 0)
            await gate.release(host)
        }
        #expect(await gate.trackedHostCount == hosts.count)
        // Once their spacing has passed, the next release that reaches the sweep count forgets them;
        // a host still within its spacing, or with a fetch in flight, is kept.
        clock.advance(by: 2)
        #expect(await gate.acquire("busy.example") == 0)
        #expect(await gate.acquire("recent.example") == 0)
        await gate.release("recent.example")
        #expect(await gate.trackedHostCount == 2)
        // Spacing is still enforced for the kept host.
        #expect(await gate.acquire("recent.example") == 1)
    }

    @Test func theHostTableStaysBoundedAcrossManyHosts() async {
        let clock = ManualClock()
        let gate = HostGate(maxPerHost: 1, delaySeconds: 0.5, clock: { clock.now })
        var largest = 0
        for round in 0..<50 {
            for index in 0..<100 {
                let host = "r\(round)-\(index).example"
                _ = await gate.acquire(host)
                await gate.release(host)
            }
            largest = max(largest, await gate.trackedHostCount)
            clock.advance(by: 1)
        }
        // 5,000 hosts went through; at most about two rounds' worth are remembered at once.
        #expect(largest <= 2 * 100 + HostGate.minimumSweepCount)
    }
}

/// A monotonic clock that moves only when told.
private final class ManualClock: Sendable {
    private let seconds = Mutex(1000.0)

    var now: Double { seconds.withLock { $0 } }

    func advance(by delta: Double) { seconds.withLock { $0 += delta } }
}
