import Glibc
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
}
