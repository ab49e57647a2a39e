import Testing

@testable import Daemon

struct SystemdNotifierTests {
    @Test func sendsReadyStatusWatchdogReloadingAndStoppingToAPathSocket() throws {
        let listener = try DatagramListener(abstract: false)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "4000000"])
        #expect(notifier.isEnabled)
        #expect(notifier.watchdogPingIntervalSeconds == 2)
        notifier.ready(status: "started; 3 feeds")
        #expect(listener.receive() == "READY=1\nSTATUS=started; 3 feeds")
        notifier.status("pass done")
        #expect(listener.receive() == "STATUS=pass done")
        notifier.watchdog()
        #expect(listener.receive() == "WATCHDOG=1")
        notifier.reloading()
        let reloading = try #require(listener.receive())
        let lines = reloading.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        #expect(lines.count == 2 && lines[1].hasPrefix("MONOTONIC_USEC=") && UInt64(lines[1].dropFirst(15)) != nil)
        notifier.stopping()
        #expect(listener.receive() == "STOPPING=1")
    }

    @Test func sendsToAnAbstractSocketWhenThePathStartsWithAt() throws {
        let listener = try DatagramListener(abstract: true)
        let notifier = SystemdNotifier(socketPath: listener.address)
        notifier.ready()
        #expect(listener.receive() == "READY=1")
    }

    @Test func doesNothingWithoutNotifySocket() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(notifier.watchdogPingIntervalSeconds == nil)
        #expect(!notifier.send(["READY=1"]))
    }

    @Test func ignoresAWatchdogMeantForAnotherProcess() {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"])
        #expect(notifier.watchdogPingIntervalSeconds == nil)
    }
}
