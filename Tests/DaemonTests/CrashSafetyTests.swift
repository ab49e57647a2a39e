import ClusterStore
import Foundation
import HTTPServer
import Model
import StateStore
import Testing

@testable import Daemon

#if canImport(Glibc)
    import Glibc
#endif

/// The `sift` executable built next to the test bundle, when present.
private let siftExecutable: String? = {
    guard let bundle = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
        return nil
    }
    let path = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("sift").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

/// Runs the real daemon (`sift run`, a separate process) against a generated site on loopback,
/// kills it with SIGKILL while work is in flight, restarts it, and checks the data directory
/// after every kill and at the end.
///
/// Each kill is placed by progress, not by the clock alone: the site's articles are split into
/// seeded random targets, one per kill, and the daemon is killed once the event log shows its
/// target reached, after a further seeded delay of up to 120 ms (so kills land at every step of a
/// batch: fetching, deciding, committing, writing files, appending events). A few targets are
/// the count already committed, so those kills land during start-up (restore, reconciliation)
/// or the first fetches. A fixed delay after launch would have to guess the machine's speed:
/// too short and kills land in start-up only, too long and they land after the last article.
@Suite(.serialized)
struct CrashSafetyTests {
    /// Kills attempted (the run stops early when its time budget is spent).
    static let kills = 25
    /// The whole test's time budget for the kill loop.
    static let budget: Duration = .seconds(45)
    /// How long one run may take to reach its target before it is killed anyway.
    static let runLimit: Duration = .seconds(4)

    @Test(.enabled(if: siftExecutable != nil, "the sift executable is built with the tests"))
    func theDaemonSurvivesRepeatedSIGKILLWithoutLosingOrDuplicatingAnArticle() async throws {
        let executable = try #require(siftExecutable)
        let site = SyntheticSite(outlets: 8, articlesPerFeed: 60, seed: 0xC0FFEE)
        let origin = OriginBox()
        let handler = site.handler(origin: { origin.value })
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 120) { request in
            // A little latency per page spreads the work over time, so kills land mid-pass.
            if request.path.hasSuffix(".html") { usleep(60_000) }
            return handler(request)
        }
        origin.set(server.origin)
        defer { server.stop() }
        let root = makeTemporaryDirectory("sift-crash")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = root + "/data"
        let feedList = root + "/feeds.txt"
        try site.feedPaths.map { server.origin + $0 }.joined(separator: "\n")
            .write(toFile: feedList, atomically: true, encoding: .utf8)
        let arguments = [
            "run", "--data-dir", data, "--feeds", feedList, "--allow-private-addresses",
            "--set", "fetch.per_host_delay_seconds=0", "--set", "fetch.max_concurrent_per_host=4",
            "--set", "poll_interval_seconds=3600", "--set", "logging.level=warning",
        ]
        let expected = Set(site.expectedGroups.map { Set($0.map { server.origin + $0 }) })
        let allURLs = expected.reduce(into: Set<String>()) { $0.formUnion($1) }

        var random = SplitMix(seed: 20_261_125)
        let targets = Self.killTargets(articles: allURLs.count, kills: Self.kills, random: &random)
        let started = ContinuousClock.now
        var survived = 0
        var committedAtKill: [Int] = []
        for target in targets where ContinuousClock.now - started < Self.budget {
            let process = try launch(executable, arguments, log: root + "/daemon.log")
            // Wait for the target in the event log (what the directory shows committed), then
            // kill. The watch runs on a thread of its own: a task on the shared pool may wait
            // seconds for a thread while the rest of the suite runs, and the daemon, a separate
            // process, would finish all its work meanwhile.
            let delay = useconds_t(random.next() % 121) * 1000
            let alive = await Self.killWhenReached(
                target: target, data: data, pid: process.processIdentifier, delay: delay)
            #expect(alive, "the daemon exited by itself: \(tail(root + "/daemon.log"))")
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal || !process.isRunning)
            committedAtKill.append(try checkAfterCrash(data: data, allURLs: allURLs))
            survived += 1
        }
        #expect(survived >= 10, "too few kills in the time budget")
        // Progress: later restarts resume, so the committed count never goes down.
        #expect(committedAtKill == committedAtKill.sorted())
        // The kills test something only while work is left: the targets keep the last 5 % of the
        // articles for the final run, so at most the last kill or two may find everything done.
        let inFlight = committedAtKill.filter { $0 < allURLs.count }.count
        #expect(inFlight >= survived - 2, "kills after all the work was done: \(committedAtKill)")

        // A final run to completion, then the directory must match the database and the site.
        let final = try launch(executable, arguments + ["--once"], log: root + "/daemon.log")
        let deadline = ContinuousClock.now + .seconds(60)
        while final.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        if final.isRunning { kill(final.processIdentifier, SIGKILL) }
        final.waitUntilExit()
        #expect(final.terminationStatus == 0, "\(tail(root + "/daemon.log"))")
        _ = try checkAfterCrash(data: data, allURLs: allURLs)
        try checkComplete(data: data, expected: expected)
        print(
            "crash test: \(survived) SIGKILLs survived, \(inFlight) with work in flight; "
                + "articles committed at each kill (of \(allURLs.count)): "
                + committedAtKill.map(String.init).joined(separator: ",")
        )
    }

    /// The committed-article counts at which the kills are aimed, in increasing order: `kills`
    /// seeded random points in the first 95 % of the articles, with about one in six repeating
    /// the previous target (that run is killed soon after start-up, before or during its first
    /// batches).
    static func killTargets(articles: Int, kills: Int, random: inout SplitMix) -> [Int] {
        let limit = max(1, articles * 95 / 100)
        var points = (0..<kills).map { _ in Int(random.next() % UInt64(limit)) }.sorted()
        for index in points.indices.dropFirst() where random.next() % 6 == 0 {
            points[index] = points[index - 1]
        }
        return points.sorted()
    }

    /// Watches the event log on a dedicated thread until it holds `target` lines (or the run
    /// limit passes, or the process ends), waits `delay` microseconds more and sends SIGKILL.
    /// Returns whether the process could still be signalled (it had not exited and been reaped).
    static func killWhenReached(target: Int, data: String, pid: Int32, delay: useconds_t) async -> Bool {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let launched = ContinuousClock.now
                while committedEvents(data: data) < target, kill(pid, 0) == 0,
                    ContinuousClock.now - launched < runLimit
                {
                    usleep(2_000)
                }
                usleep(delay)
                // Foundation's Process reaps the child; this thread only signals it.
                let alive = kill(pid, SIGKILL) == 0
                continuation.resume(returning: alive)
            }
            thread.start()
        }
    }

    /// The number of complete lines of the directory's event log (0 when it does not exist).
    private static func committedEvents(data: String) -> Int {
        guard let bytes = FileManager.default.contents(atPath: data + "/events.jsonl") else { return 0 }
        return bytes.reduce(0) { $1 == 10 ? $0 + 1 : $0 }
    }

    // MARK: - Process

    private func launch(_ executable: String, _ arguments: [String], log: String) throws -> Process {
        if !FileManager.default.fileExists(atPath: log) {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        output.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil
        environment["JOURNAL_STREAM"] = nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = output
        try process.run()
        return process
    }

    private func tail(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return String(text.suffix(600))
    }

    // MARK: - Checks

    /// Checks a directory left by a killed daemon; returns the number of committed articles.
    ///
    /// Every visible file is complete JSON (temporary files start with `.`), the log's complete
    /// lines run 1, 2, 3, … and repeat the database's events, the directory is never ahead of
    /// the database, and no article is stored twice or is foreign to the site.
    private func checkAfterCrash(data: String, allURLs: Set<String>) throws -> Int {
        let files = FileManager.default
        for directory in [data, data + "/clusters", data + "/articles"] {
            for name in (try? files.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".json") {
                guard !name.hasPrefix(".") else { continue }
                let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
                #expect(
                    (try? JSONSerialization.jsonObject(with: bytes)) != nil,
                    "\(directory)/\(name) is not complete JSON (\(bytes.count) bytes)"
                )
            }
        }
        guard files.fileExists(atPath: data + "/state.sqlite") else { return 0 }
        let database = try StateDatabase.openReadOnly(path: data + "/state.sqlite")
        let databaseEvents = try database.events(after: 0, limit: 1_000_000)
        #expect(databaseEvents.map(\.sequence) == Array(stride(from: 1, through: Int64(databaseEvents.count), by: 1)))

        // The log: complete lines only (a torn last line is cut when the daemon restarts).
        let log = (try? Data(contentsOf: URL(fileURLWithPath: data + "/events.jsonl"))) ?? Data()
        var logEvents: [(seq: Int64, document: String, cluster: String)] = []
        if let end = log.lastIndex(of: 10) {
            for line in log[...end].split(separator: 10) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
                let seq = try #require((object["seq"] as? NSNumber)?.int64Value)
                logEvents.append((seq, object["document_id"] as? String ?? "", object["cluster_id"] as? String ?? ""))
            }
        }
        #expect(logEvents.map(\.seq) == Array(stride(from: 1, through: Int64(logEvents.count), by: 1)))
        #expect(logEvents.count <= databaseEvents.count, "the log is ahead of the database")
        for (logged, stored) in zip(logEvents, databaseEvents) {
            #expect(logged.document == stored.documentID && logged.cluster == stored.clusterID)
        }

        // Clusters: every file is a subset of its database cluster; no URL twice; none foreign.
        let clusters = try database.allClusters()
        var byID: [String: Set<String>] = [:]
        var urls: [String] = []
        for cluster in clusters {
            byID[cluster.id] = Set(cluster.members.map(\.documentID))
            urls += cluster.members.map(\.url)
        }
        #expect(Set(urls).count == urls.count, "an article is stored twice")
        #expect(Set(urls).isSubset(of: allURLs))
        #expect(urls.count == databaseEvents.count)
        for onDisk in try ClusterDirectoryReader(path: data).clusters() {
            let stored = try #require(byID[onDisk.id], "cluster file \(onDisk.id) has no database row")
            #expect(Set(onDisk.members.map(\.documentID)).isSubset(of: stored))
        }
        let storedDocuments = byID.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let orphans = ((try? files.contentsOfDirectory(atPath: data + "/articles")) ?? [])
            .filter { !$0.hasPrefix(".") && !storedDocuments.contains(String($0.dropLast(5))) }
        #expect(orphans.isEmpty, "article files ahead of the database: \(orphans.prefix(5))")
        return urls.count
    }

    /// After a complete run: every article of the site once, grouped as expected, and the
    /// directory equal to the database.
    private func checkComplete(data: String, expected: Set<Set<String>>) throws {
        let database = try StateDatabase.openReadOnly(path: data + "/state.sqlite")
        let stored = try database.allClusters()
        let onDisk = try ClusterDirectoryReader(path: data).clusters()
        #expect(Set(onDisk.map { Set($0.members.map(\.url)) }) == expected)
        #expect(
            Dictionary(uniqueKeysWithValues: onDisk.map { ($0.id, $0.members.map(\.documentID)) })
                == Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0.members.map(\.documentID)) })
        )
        let articleCount = expected.reduce(0) { $0 + $1.count }
        let events = try ClusterDirectoryReader(path: data).events(after: 0)
        #expect(events.map(\.sequence) == Array(1...Int64(articleCount)))
        #expect(try database.lastEventSequence() == Int64(articleCount))
        let articleFiles = try FileManager.default.contentsOfDirectory(atPath: data + "/articles")
            .filter { !$0.hasPrefix(".") }
        #expect(articleFiles.count == articleCount)
        // Temporary files a kill left behind are gone after a clean start.
        for directory in [data, data + "/clusters", data + "/articles"] {
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty, "temporary files left in \(directory): \(leftovers.prefix(3))")
        }
    }
}
