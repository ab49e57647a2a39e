import Clustering
import Fetch
import Foundation
import HTTPServer
import Logging
import Model
import ServiceLifecycle
import Testing

@testable import Daemon

#if canImport(Glibc)
    import Glibc
#endif

struct SiftServiceTests {
    @Test func servicePollsNotifiesAndStopsOnGracefulShutdown() async throws {
        let origin = OriginBox()
        let server = try LoopbackHTTPServer(
            maxLifetimeSeconds: 60,
            handler: LoopbackHTTPServer.staticSite(root: PipelineTests.site, origin: { origin.value })
        )
        origin.set(server.origin)
        defer { server.stop() }
        let feeds = Array(try Demo.feedSources(site: PipelineTests.site, origin: server.origin).prefix(1))
        let data = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        var configuration = Configuration()
        configuration.dataDirectory = data
        configuration.fetch.allowPrivateAddresses = true
        configuration.fetch.perHostDelaySeconds = 0
        let listener = try DatagramListener(abstract: false)
        let notifier = SystemdNotifier(socketPath: listener.address, watchdogMicroseconds: 400_000)
        let logger = quietLogger
        let pipeline = try await Pipeline(configuration: configuration, feeds: feeds, logger: logger)
        let service = SiftService(pipeline: pipeline, notifier: notifier, reloader: nil, logger: logger)
        let group = ServiceGroup(services: [service], logger: logger)

        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await listener.next(timeout: .seconds(20))?.hasPrefix("READY=1") == true)
            var messages: [String] = []
            while pipeline.totals.passes == 0, ContinuousClock.now - started < .seconds(20) {
                if let message = await listener.next() { messages.append(message) }
            }
            #expect(pipeline.totals.passes >= 1)
            #expect(pipeline.totals.articles > 0)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            while let message = await listener.next() {
                messages.append(message)
                if message == "STOPPING=1" { break }
            }
            #expect(messages.contains("WATCHDOG=1"))
            #expect(messages.contains { $0.hasPrefix("STATUS=articles=") })
            #expect(messages.last == "STOPPING=1")
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}

struct SiftServiceReloadTests {
    @Test func sighupReloadsTheFeedListAndNotifiesSystemd() async throws {
        // Ignored until the service traps it, so an early signal cannot end the test process.
        signal(SIGHUP, SIG_IGN)
        let data = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        var configuration = Configuration()
        configuration.dataDirectory = data
        let listener = try DatagramListener(abstract: true)
        let notifier = SystemdNotifier(socketPath: listener.address)
        let logger = quietLogger
        let pipeline = try await Pipeline(configuration: configuration, feeds: [], logger: logger)
        let reloaded = [FeedSource(url: "http://127.0.0.1:9/a.xml"), FeedSource(url: "http://127.0.0.1:9/b.xml")]
        let reloadedConfiguration = configuration
        let service = SiftService(
            pipeline: pipeline,
            notifier: notifier,
            reloader: { () async throws(DaemonError) -> (Configuration, [FeedSource]) in
                (reloadedConfiguration, reloaded)
            },
            logger: logger
        )
        let group = ServiceGroup(services: [service], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await listener.next(timeout: .seconds(20))?.hasPrefix("READY=1") == true)
            var sawReloading = false
            var sawReady = false
            let started = ContinuousClock.now
            while !sawReady, ContinuousClock.now - started < .seconds(10) {
                if !sawReloading { kill(getpid(), SIGHUP) }
                guard let message = await listener.next() else { continue }
                if message.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") { sawReloading = true }
                if sawReloading, message == "READY=1\nSTATUS=reloaded; 2 feeds" { sawReady = true }
            }
            #expect(sawReloading)
            #expect(sawReady)
            #expect(pipeline.feeds.map(\.url) == reloaded.map(\.url))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
