import ClusterStore
import Daemon
import Extraction
import Fetch
import Foundation
import Glibc
import HTTPServer
import Logging
import Model
import Synchronization

/// End-to-end throughput: a generated site (N outlets × M articles of about 8 KB of HTML, one
/// in five a copy of another outlet's story) served on loopback, run through the real pipeline
/// (libcurl fetch, feed parse, extraction, boilerplate filter, MinHash, clustering, SQLite
/// commit, cluster files) into a temporary data directory.
///
/// Arguments: `--feeds N` (40), `--articles M` (100), `--rounds R` (3: each round a fresh site
/// of new articles, on the same pipeline, to show memory stays flat as the store grows),
/// `--page-concurrency C` (8), `--parser libxml2|native` (the configured default),
/// `--retention D` (off): retention window of D days on a simulated clock that advances one day
/// per round, so from round D + 2 on every round evicts the articles of the round D + 1 before
/// it from the near-duplicate index (and their signatures from the state database), and the
/// index holds at most D + 1 rounds; memory must then stop growing. `--trim` calls
/// `malloc_trim(0)` once more after each round, before sampling (the pipeline itself trims
/// after each pass). `--quiet` leaves out the once-a-second lines.
/// The site is served by a child process (this executable with `--serve-site`, one per round),
/// so the bench process's memory and CPU time are the pipeline's alone; `--in-process-site`
/// serves it from a thread of the bench process instead, sharing its heap.
/// Memory is sampled right after each pass, before the bench checks the round's partition; the
/// check reads only the clusters named by the round's event lines, and article files are
/// counted with `readdir`, so the bench's own work does not grow with the directory (reading
/// every cluster file each round did: its transient heap grew by a round's worth each time, and
/// glibc's thread arena with it, which showed as RssAnon rising 3–6 MB per round).
/// A second table gives, per round: articles written and indexed, VmRSS, RssAnon, RssFile,
/// VmHWM, glibc's heap in use and held (malloc_info, all arenas), the size of state.sqlite,
/// RssAnon by kind of mapping (main heap, thread arenas, other, huge pages) and the lines the
/// boilerplate filter remembers.
/// Prints, once a second, the articles written so far, the rate and the resident memory
/// (VmRSS split into anonymous and file-backed pages, and the peak VmHWM), then a table per
/// round: articles/s from the first fetch to the last cluster file, whether the clusters equal
/// the site's known partition, memory, and CPU time per article (this process: the pipeline,
/// plus the server with `--in-process-site`). The once-a-second lines also give glibc's heap in
/// use and held. The state database is memory-mapped, so its pages show in VmRSS as
/// file-backed memory that grows with the database and that the kernel can reclaim; RssAnon is
/// the process's own memory.
func runPipelineBench(arguments: [String]) async throws {
    if arguments.contains("--help") || arguments.contains("-h") {
        print(
            """
            usage: SiftBench pipeline [--feeds N] [--articles M] [--rounds R] [--page-concurrency C]
                                      [--parser libxml2|native] [--retention D] [--trim] [--quiet]
                                      [--in-process-site]
              --feeds N             outlets (feeds) of the generated site (40)
              --articles M          articles per feed and round (100)
              --rounds R            rounds, each a fresh site of new articles on the same pipeline (3)
              --page-concurrency C  article pages fetched and extracted at once (8)
              --parser P            the HTML parser (the configured default)
              --retention D         retention_days = D on a clock one day ahead per round: the index
                                    holds D + 1 rounds, older ones are evicted (off)
              --trim                malloc_trim(0) once more after each round, before sampling
              --quiet               no once-a-second progress lines
              --in-process-site     serve the site from the bench process (sharing its heap) instead
                                    of a child process
            """)
        return
    }
    func value(_ name: String, _ fallback: Int) -> Int {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else {
            return fallback
        }
        return max(1, v)
    }
    func string(_ name: String) -> String? {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
        return arguments[i + 1]
    }
    let outlets = value("--feeds", 40)
    let articles = value("--articles", 100)
    let rounds = value("--rounds", 3)
    let pageConcurrency = value("--page-concurrency", 8)
    let retention = arguments.contains("--retention") ? value("--retention", 1) : nil
    let trim = arguments.contains("--trim")
    let quiet = arguments.contains("--quiet")
    let inProcessSite = arguments.contains("--in-process-site")
    if arguments.contains("--serve-site") {
        try serveSite(outlets: outlets, articles: articles, seed: UInt64(value("--seed", 0x5EED)))
        return
    }

    let data = NSTemporaryDirectory() + "/sift-pipeline-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: data) }
    var configuration = Configuration()
    configuration.dataDirectory = data
    configuration.fetch.allowPrivateAddresses = true
    configuration.fetch.perHostDelaySeconds = 0
    configuration.fetch.maxConcurrentPerHost = 32
    configuration.fetch.maxConcurrentTransfers = 32
    configuration.pageConcurrency = pageConcurrency
    if let parser = string("--parser") {
        guard let backend = HTMLParserBackend(rawValue: parser) else {
            throw BenchFailure("unknown parser \(parser): use libxml2 or native")
        }
        configuration.extraction.parser = backend
    }
    if let retention { configuration.retentionDays = retention }
    let noLogs = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
    print(
        "pipeline: \(rounds) round(s) of \(outlets) feeds × \(articles) articles = \(outlets * articles) articles "
            + "each, page concurrency \(pageConcurrency), parser \(configuration.extraction.parser.rawValue), "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores"
            + (retention.map { ", retention \($0) day(s), clock +1 day per round" } ?? "")
            + (trim ? ", malloc_trim after each round" : "")
            + (inProcessSite ? ", site served in process" : ", site served by a child process")
    )
    print("memory at start: VmRSS \(megabytes(memory("VmRSS"))) MB")
    if !inProcessSite {
        print("CPU ms/article and memory are the bench process's (the pipeline); the site's server is a child")
    }

    var pipeline: Pipeline?
    var rows: [String] = []
    var memoryRows: [String] = []
    var written = 0
    let clockStart = Date()
    // Every round's site needs an origin of its own: its article paths are the same as the
    // previous rounds', and the pipeline skips URLs it has seen.
    var origins = Set<String>()
    for round in 0..<rounds {
        let site = SyntheticSite(outlets: outlets, articlesPerFeed: articles, seed: 0x5EED &+ UInt64(round))
        var server: any SiteServer
        repeat {
            server =
                inProcessSite
                ? try InProcessSiteServer(site: site)
                : try ChildSiteServer(outlets: outlets, articles: articles, seed: site.seed)
            if origins.contains(server.origin) { server.stop() }
        } while origins.contains(server.origin)
        origins.insert(server.origin)
        defer { server.stop() }
        let feeds = site.feedPaths.map { FeedSource(url: server.origin + $0) }
        configuration.feeds = feeds
        if let pipeline {
            pipeline.reload(configuration: configuration, feeds: feeds)
        } else {
            pipeline = try await Pipeline(configuration: configuration, feeds: feeds, logger: noLogs)
        }
        guard let pipeline else { break }

        let before = written
        let cpuBefore = cpuSeconds()
        let started = ContinuousClock.now
        let sampler = Task {
            var last = before
            while !Task.isCancelled && !quiet {
                try? await Task.sleep(for: .seconds(1))
                if Task.isCancelled { break }
                let now = articleFiles(in: data)
                let elapsed = seconds(ContinuousClock.now - started)
                let heap = HeapStatistics()
                print(
                    String(
                        format: "  round %d  t=%5.1fs  articles %6d  (+%4d/s)  VmRSS %4d MB (anon %4d, file %4d)  "
                            + "VmHWM %4d MB  heap used %3d held %3d MB  CPU %5.1f s",
                        round + 1, elapsed, now - before, now - last, megabytes(memory("VmRSS")),
                        megabytes(memory("RssAnon")), megabytes(memory("RssFile")), megabytes(memory("VmHWM")),
                        heap.usedBytes >> 20, heap.heldBytes >> 20, cpuSeconds()
                    )
                )
                last = now
            }
        }
        // With a retention window, each round is one day later on the pass's clock.
        let now = retention == nil ? Date() : clockStart.addingTimeInterval(Double(round) * 86_400)
        let eventsOffset = fileSize(data + "/events.jsonl")
        let summary = await pipeline.runPass(all: true, now: now)
        let elapsed = seconds(ContinuousClock.now - started)
        sampler.cancel()
        _ = await sampler.value
        written = articleFiles(in: data)
        let added = written - before
        let cpu = (cpuSeconds() - cpuBefore) * 1000 / Double(max(1, added))

        // Memory first, as the pass left it (the pipeline trims after each pass); the check below
        // allocates in this process too.
        if trim { HeapStatistics.trim() }
        let heap = HeapStatistics()
        let indexed = await pipeline.indexedArticles
        let lines = await pipeline.boilerplateLines
        let kinds = Dictionary(uniqueKeysWithValues: anonymousMappings().map { ($0.kind, $0.kilobytes) })
        let resident = (megabytes(memory("VmRSS")), megabytes(memory("VmHWM")), megabytes(memory("RssAnon")))
        memoryRows.append(
            String(
                format: "%5d  %8d  %8d  %8d  %9d  %9d  %9d  %10d  %10d",
                round + 1, written, indexed, megabytes(memory("VmRSS")),
                megabytes(memory("RssAnon")), megabytes(memory("RssFile")), megabytes(memory("VmHWM")),
                heap.usedBytes >> 20, heap.heldBytes >> 20
            ) + "  " + String(format: "%10d", fileSize(data + "/state.sqlite") >> 20)
                + String(
                    format: "  %8d %8d %8d %8d  %9d", megabytes(kinds["[heap]"] ?? 0),
                    megabytes(kinds["thread arenas"] ?? 0), megabytes(kinds["other"] ?? 0),
                    megabytes(kinds["huge pages"] ?? 0), lines)
        )

        // The round's clusters only (those its events name): reading the whole directory would
        // cost this process memory and time that grow with every round.
        let expected = Set(site.expectedGroups.map { Set($0.map { server.origin + $0 }) })
        let reader = try ClusterDirectoryReader(path: data)
        var produced = Set<Set<String>>()
        for id in try clusterIDs(inEventsOf: data, from: eventsOffset) {
            guard let cluster = try reader.cluster(id: id) else { continue }
            let urls = Set(cluster.members.map(\.url).filter { $0.hasPrefix(server.origin + "/") })
            if !urls.isEmpty { produced.insert(urls) }
        }
        rows.append(
            String(
                format: "%5d  %8d  %8.2f  %10.1f  %8d  %8d  ",
                round + 1, added, elapsed, Double(added) / elapsed, summary.clustersCreated, expected.count
            ) + (produced == expected ? "yes      " : "NO       ")
                + String(format: "  %8d  %8d  %10d  %14.2f", resident.0, resident.1, resident.2, cpu)
        )
        if summary.articlesFailed > 0 || summary.feedsFailed > 0 {
            print("  round \(round + 1): \(summary.articlesFailed) article and \(summary.feedsFailed) feed failures")
        }
    }
    await pipeline?.shutdown()
    print("")
    print(
        "round  articles   seconds  articles/s  clusters  expected  partition  VmRSS MB  VmHWM MB  RssAnon MB  "
            + "CPU ms/article")
    for row in rows { print(row) }
    print("")
    print(
        "round   written   indexed  VmRSS MB  RssAnon MB  RssFile MB  VmHWM MB  heap used MB  heap held MB  "
            + "state.sqlite MB  (RssAnon: [heap] arenas   other    huge)  boilerplate lines")
    for row in memoryRows { print(row) }
    let mapped = largestFileMappings(limit: 3).map { "\($0.name) \(megabytes($0.kilobytes)) MB" }
    // state.sqlite is memory-mapped (PRAGMA mmap_size): its pages count in VmRSS as clean,
    // reclaimable file pages; RssAnon is the process's own memory (mostly the near-duplicate index).
    print("largest file-backed resident mappings: " + mapped.joined(separator: ", "))
    let anonymous = anonymousMappings()
    print(
        "anonymous resident memory by mapping: "
            + anonymous.filter { $0.kilobytes >= 1024 }.map { "\($0.kind) \(megabytes($0.kilobytes)) MB (\($0.count))" }
            .joined(separator: ", "))
}

/// Resident anonymous memory from `/proc/self/smaps`, by kind of mapping: the main heap
/// (`[heap]`), glibc's thread arenas (mappings at 64 MiB boundaries), huge-page regions (the LSH
/// bucket table), and other anonymous mappings (thread stacks, large allocations); with the
/// number of mappings.
private func anonymousMappings() -> [(kind: String, kilobytes: Int, count: Int)] {
    guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else { return [] }
    defer { try? handle.close() }
    let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    var totals: [String: (Int, Int)] = [:]
    var kind: String?
    var start: UInt64 = 0
    var anonymous = 0
    var huge = 0
    func flush() {
        guard let current = kind else { return }
        var name = current
        if name == "other" {
            if huge > 0 {
                name = "huge pages"
            } else if start % (64 << 20) == 0 {
                name = "thread arenas"
            }
        }
        let entry = totals[name] ?? (0, 0)
        totals[name] = (entry.0 + anonymous, entry.1 + 1)
    }
    for line in text.split(separator: "\n") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if let first = fields.first, first.contains("-"), fields.count >= 5, !line.hasSuffix("kB") {
            flush()
            let path = fields.count >= 6 ? String(fields[5]) : ""
            kind = path.isEmpty ? "other" : (path.hasPrefix("[") ? path : nil)
            start = UInt64(first.prefix { $0 != "-" }, radix: 16) ?? 1
            anonymous = 0
            huge = 0
        } else if line.hasPrefix("Anonymous:"), fields.count >= 2 {
            anonymous = Int(fields[1]) ?? 0
        } else if line.hasPrefix("AnonHugePages:"), fields.count >= 2 {
            huge = Int(fields[1]) ?? 0
        }
    }
    flush()
    return totals.map { ($0.key, $0.value.0, $0.value.1) }.sorted { $0.kilobytes > $1.kilobytes }
}

/// The file mappings with the most resident memory, from `/proc/self/smaps`.
private func largestFileMappings(limit: Int) -> [(name: String, kilobytes: Int)] {
    // procfs files report size 0: read to the end rather than by size.
    guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else { return [] }
    defer { try? handle.close() }
    let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    var totals: [String: Int] = [:]
    var current: String?
    for line in text.split(separator: "\n") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if let first = fields.first, first.contains("-"), fields.count >= 5 {
            current = fields.count >= 6 && fields[5].hasPrefix("/") ? String(fields[5]) : nil
        } else if line.hasPrefix("Rss:"), let name = current, fields.count >= 2, let value = Int(fields[1]) {
            totals[URL(fileURLWithPath: name).lastPathComponent, default: 0] += value
        }
    }
    return totals.sorted { $0.value > $1.value }.prefix(limit).map { ($0.key, $0.value) }
}

/// A file's size in bytes (0 when missing).
private func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
}

/// The number of article files written (temporary files start with a dot), counted with
/// `readdir` so that the count allocates nothing per file (the directory grows every round).
private func articleFiles(in data: String) -> Int {
    guard let directory = opendir(data + "/articles") else { return 0 }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
        let hidden = withUnsafeBytes(of: entry.pointee.d_name) { $0.first == UInt8(ascii: ".") }
        if !hidden { count += 1 }
    }
    return count
}

/// The distinct cluster ids of the event lines from byte `offset` of the event log (the lines a
/// round appended).
private func clusterIDs(inEventsOf data: String, from offset: Int) throws -> [String] {
    guard let handle = FileHandle(forReadingAtPath: data + "/events.jsonl") else { return [] }
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(offset))
    let bytes = handle.readDataToEndOfFile()
    var seen = Set<String>()
    var ids: [String] = []
    for line in bytes.split(separator: 10) {
        guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let id = object["cluster_id"] as? String
        else { continue }
        if seen.insert(id).inserted { ids.append(id) }
    }
    return ids
}

/// A `/proc/self/status` field in kB (0 when unavailable).
private func memory(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
    return 0
}

/// User plus system CPU seconds of this process (the pipeline; with `--in-process-site`, the server too).
private func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

private func megabytes(_ kilobytes: Int) -> Int { kilobytes / 1024 }

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The generated site's HTTP server, in this process or a child.
private protocol SiteServer {
    /// `http://127.0.0.1:<port>`.
    var origin: String { get }
    /// Stops serving (idempotent).
    func stop()
}

/// The site served from threads of this process (sharing its heap with the pipeline).
private struct InProcessSiteServer: SiteServer {
    let server: LoopbackHTTPServer

    init(site: SyntheticSite) throws {
        let origin = OriginHolder()
        server = try LoopbackHTTPServer(maxLifetimeSeconds: 3600, handler: site.handler(origin: { origin.value }))
        origin.set(server.origin)
    }

    var origin: String { server.origin }

    func stop() { server.stop() }
}

/// The site served by a child process (`SiftBench pipeline --serve-site`): it prints its origin
/// on a line of its standard output and serves until its standard input closes.
private final class ChildSiteServer: SiteServer {
    let origin: String
    private let process: Process
    private let input: Pipe
    private var stopped = false

    init(outlets: Int, articles: Int, seed: UInt64) throws {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "pipeline", "--serve-site", "--feeds", "\(outlets)", "--articles", "\(articles)", "--seed", "\(seed)",
        ]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line: [UInt8] = []
        let reader = output.fileHandleForReading
        while !line.contains(10) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("http://127.0.0.1:") else {
            process.terminate()
            process.waitUntilExit()
            throw BenchFailure("the site server did not start: '\(text)'")
        }
        origin = text
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// `SiftBench pipeline --serve-site`: serves the site on loopback, prints its origin, and stops
/// when standard input closes (the bench closes it, or it exited) or after an hour.
private func serveSite(outlets: Int, articles: Int, seed: UInt64) throws {
    let site = SyntheticSite(outlets: outlets, articlesPerFeed: articles, seed: seed)
    let server = try InProcessSiteServer(site: site)
    defer { server.stop() }
    FileHandle.standardOutput.write(Data((server.origin + "\n").utf8))
    var byte: UInt8 = 0
    while read(0, &byte, 1) > 0 {}
}

/// The server origin, known once the server listens.
private final class OriginHolder: Sendable {
    private let stored = Mutex("")

    var value: String { stored.withLock { $0 } }

    func set(_ origin: String) { stored.withLock { $0 = origin } }
}

private struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
