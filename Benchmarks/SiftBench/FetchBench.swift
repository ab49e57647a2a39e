import Fetch
import Foundation
import Glibc
import HTTPServer
import Logging

/// Fetch throughput: N feeds × M small articles served by a loopback server, fetched with
/// concurrency C through ``Fetcher``, against the curl command line (`--parallel`) on the same
/// URLs and server in the same run.
///
/// Arguments: `--feeds N` (100), `--articles M` (50), `--concurrency C` (32), `--keep-list`
/// (materialize the URL list before fetching, to measure what it costs).
/// Samples resident memory after the warm-up and every eighth of the run: RSS that grows with
/// the number of completed fetches would show there (the peak alone cannot tell the fetcher's
/// memory from the bench's own).
/// CPU figures are the whole process (client and in-process server); the curl row adds the
/// child process's CPU to the server's.
func runFetchBench(arguments: [String]) async throws {
    if arguments.contains("--help") || arguments.contains("-h") {
        print(
            """
            usage: SiftBench fetch [--feeds N] [--articles M] [--concurrency C] [--keep-list]
              --feeds N        feeds served (100); each is fetched once, then its articles
              --articles M     articles per feed (50): N × (M + 1) fetches in all
              --concurrency C  fetches at once (32), also the curl peer's --parallel-max
              --keep-list      materialize the URL list first, to measure what it costs
            """)
        return
    }
    func value(_ name: String, _ fallback: Int) -> Int {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else {
            return fallback
        }
        return max(1, v)
    }
    let feeds = value("--feeds", 100)
    let articles = value("--articles", 50)
    let concurrency = value("--concurrency", 32)

    let article = Array(
        ("<html><head><title>Article</title></head><body><article>"
            + String(repeating: "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>", count: 60)
            + "</article></body></html>").utf8
    )
    let server = try LoopbackHTTPServer(maxLifetimeSeconds: 600) { request in
        if request.path.hasPrefix("/feed/") {
            let id = request.path.dropFirst("/feed/".count).prefix { $0 != "." }
            var xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed \(id)</title>"
            for j in 0..<articles {
                xml += "<item><title>Item \(j)</title><link>/article/\(id)/\(j).html</link></item>"
            }
            xml += "</channel></rss>"
            return HTTPResponse(
                headers: [("Content-Type", "application/rss+xml"), ("ETag", "\"feed-\(id)\"")],
                body: Array(xml.utf8)
            )
        }
        return HTTPResponse(headers: [("Content-Type", "text/html; charset=utf-8")], body: article)
    }
    defer { server.stop() }
    let origin = server.origin
    // The URLs are generated from their index, so the bench itself holds no per-fetch data;
    // `--keep-list` materializes the whole list first (as earlier versions did) to show its cost.
    let perFeed = articles + 1
    let total = feeds * perFeed
    func target(_ index: Int) -> (String, FetchKind) {
        let feed = index / perFeed
        let item = index % perFeed
        return item == 0
            ? ("\(origin)/feed/\(feed).xml", .feed) : ("\(origin)/article/\(feed)/\(item - 1).html", .page)
    }
    let anonBeforeList = statusKiB("RssAnon")
    let kept: [(String, FetchKind)] = arguments.contains("--keep-list") ? (0..<total).map(target) : []
    let listKiB = statusKiB("RssAnon") - anonBeforeList

    let options = FetchOptions(
        allowPrivateAddresses: true,
        maxConcurrentTransfers: concurrency,
        maxConcurrentPerHost: concurrency,
        perHostDelaySeconds: 0
    )
    let anonBeforeFetcher = statusKiB("RssAnon")
    let fetcher = try Fetcher(
        options: options, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
    // Warm-up: connection set-up and first-use costs.
    for index in 0..<min(concurrency, total) {
        let (url, kind) = target(index)
        _ = try await fetcher.fetch(FetchRequest(url: url, kind: kind))
    }
    var samples = [MemorySample(fetches: 0)]

    let cpu0 = cpuSeconds(RUSAGE_SELF)
    let t0 = monotonicSeconds()
    let every = max(1, total / 8)
    let (ok, failed, bytes) = await fetchAll(fetcher, total, target, concurrency: concurrency) { done in
        if done % every == 0 || done == total { samples.append(MemorySample(fetches: done)) }
    }
    let wall = monotonicSeconds() - t0
    let cpu = cpuSeconds(RUSAGE_SELF) - cpu0
    await fetcher.shutdown()
    let hwm = peakRSSKiB()
    let afterShutdown = MemorySample(fetches: total)
    withExtendedLifetime(kept) {}

    // Peer: curl CLI, same URLs, same server, same parallelism.
    var peer: (wall: Double, cpu: Double)?
    let config = FileManager.default.temporaryDirectory.appendingPathComponent("sift-fetchbench-\(getpid()).curl")
    let lines = (0..<total).map { "url = \"\(target($0).0)\"\noutput = \"/dev/null\"\n" }.joined()
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"),
        (try? lines.write(to: config, atomically: true, encoding: .utf8)) != nil
    {
        defer { try? FileManager.default.removeItem(at: config) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = [
            "--silent", "--no-progress-meter", "--parallel", "--parallel-max", "\(min(concurrency, 300))",
            "--compressed", "-K", config.path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let selfCPU0 = cpuSeconds(RUSAGE_SELF)
        let childCPU0 = cpuSeconds(RUSAGE_CHILDREN)
        let p0 = monotonicSeconds()
        try process.run()
        process.waitUntilExit()
        let pw = monotonicSeconds() - p0
        let pc = (cpuSeconds(RUSAGE_SELF) - selfCPU0) + (cpuSeconds(RUSAGE_CHILDREN) - childCPU0)
        if process.terminationStatus == 0 { peer = (pw, pc) }
    }

    let n = Double(total)
    print("fetch: \(feeds) feeds × \(articles) articles = \(total) fetches, concurrency \(concurrency)")
    print("  ok \(ok), failed \(failed), \(bytes / 1024) KiB received")
    print(pad("", 16) + pad("fetches/s", 12) + pad("CPU ms/fetch", 14) + pad("wall s", 9) + "peak RSS")
    print(
        pad("sift Fetcher", 16) + pad(fmt(n / wall, 0), 12) + pad(fmt(cpu / n * 1000, 3), 14) + pad(fmt(wall, 2), 9)
            + "\(hwm / 1024) MiB"
    )
    if let peer {
        print(
            pad("curl --parallel", 16) + pad(fmt(n / peer.wall, 0), 12) + pad(fmt(peer.cpu / n * 1000, 3), 14)
                + pad(fmt(peer.wall, 2), 9) + "-")
        print("  ratio sift/curl: throughput \(fmt(peer.wall / wall, 2))×, CPU per fetch \(fmt(cpu / peer.cpu, 2))×")
    } else {
        print("  curl peer skipped (no /usr/bin/curl or it failed)")
    }
    print("")
    print(
        "memory (fetches completed after warm-up; RssAnon is the process's own memory, the in-process "
            + "server included; heap from malloc_info, all arenas)")
    print(
        pad("fetches", 10) + pad("RssAnon MiB", 13) + pad("VmRSS MiB", 11) + pad("heap used MiB", 15)
            + "heap held MiB")
    for sample in samples + [afterShutdown] {
        print(
            pad(sample === afterShutdown ? "shut down" : "\(sample.fetches)", 10) + pad(mib(sample.anon), 13)
                + pad(mib(sample.rss), 11) + pad(mib(sample.heapUsed), 15) + mib(sample.heapHeld))
    }
    print(
        "  RssAnon before the fetcher \(mib(anonBeforeFetcher)) MiB"
            + (kept.isEmpty ? "" : "; the materialized \(total)-URL list \(mib(listKiB)) MiB"))
}

/// Resident memory at one point of the run.
private final class MemorySample {
    let fetches: Int
    let anon = statusKiB("RssAnon")
    let rss = statusKiB("VmRSS")
    let heapUsed: Int
    let heapHeld: Int

    init(fetches: Int) {
        self.fetches = fetches
        let heap = HeapStatistics()
        heapUsed = heap.usedBytes / 1024
        heapHeld = heap.heldBytes / 1024
    }
}

private func mib(_ kib: Int) -> String { fmt(Double(kib) / 1024, 1) }

private func fetchAll(
    _ fetcher: Fetcher,
    _ total: Int,
    _ target: (Int) -> (String, FetchKind),
    concurrency: Int,
    progress: (Int) -> Void
) async -> (Int, Int, Int) {
    await withTaskGroup(of: Int?.self) { group in
        var next = 0
        var ok = 0
        var failed = 0
        var bytes = 0
        func add() {
            let (url, kind) = target(next)
            next += 1
            group.addTask {
                do {
                    return try await fetcher.fetch(FetchRequest(url: url, kind: kind)).body.count
                } catch {
                    return nil
                }
            }
        }
        while next < min(concurrency, total) { add() }
        while let result = await group.next() {
            if let result {
                ok += 1
                bytes += result
            } else {
                failed += 1
            }
            progress(ok + failed)
            if next < total { add() }
        }
        return (ok, failed, bytes)
    }
}

private func cpuSeconds(_ who: __rusage_who) -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(who.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

private func peakRSSKiB() -> Int { statusKiB("VmHWM") }

/// A `/proc/self/status` field in KiB (0 when unavailable).
private func statusKiB(_ field: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
    }
    return 0
}

private func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

private func fmt(_ x: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", x)
}

private func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}

/// glibc's allocator statistics, all arenas: bytes held from the system (arenas plus
/// directly mapped chunks) and bytes of those in use (held minus free chunks), from
/// `malloc_info`. Freed memory an arena keeps shows as held but not used: fragmentation, or
/// pages `malloc_trim` would return.
struct HeapStatistics {
    private(set) var heldBytes = 0
    private(set) var usedBytes = 0

    init() {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_info") else { return }
        let info = unsafeBitCast(symbol, to: (@convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32).self)
        var buffer: UnsafeMutablePointer<CChar>?
        var length = 0
        guard let stream = open_memstream(&buffer, &length) else { return }
        _ = info(0, stream)
        fclose(stream)
        guard let buffer else { return }
        defer { free(buffer) }
        // The totals follow the last </heap>: free chunks (fast, rest), mmapped chunks, the arenas' size.
        let text = String(cString: buffer)
        let totals = text.range(of: "</heap>", options: .backwards).map { text[$0.upperBound...] } ?? ""
        func size(_ tag: String) -> Int {
            guard let start = totals.range(of: tag) else { return 0 }
            let rest = totals[start.upperBound...]
            guard let open = rest.range(of: "size=\"") else { return 0 }
            return Int(rest[open.upperBound...].prefix { $0.isNumber }) ?? 0
        }
        let free = size("<total type=\"fast\"") + size("<total type=\"rest\"")
        let mapped = size("<total type=\"mmap\"")
        let arenas = size("<system type=\"current\"")
        heldBytes = arenas + mapped
        usedBytes = max(0, heldBytes - free)
    }

    /// Returns the free memory at the top of the arenas and whole free pages inside them.
    static func trim() {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
    }
}
