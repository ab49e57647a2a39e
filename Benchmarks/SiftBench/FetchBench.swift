import Fetch
import Foundation
import Glibc
import HTTPServer
import Logging

/// Fetch throughput: N feeds × M small articles served by a loopback server, fetched with
/// concurrency C through ``Fetcher``, against the curl command line (`--parallel`) on the same
/// URLs and server in the same run.
///
/// Arguments: `--feeds N` (100), `--articles M` (50), `--concurrency C` (32).
/// CPU figures are the whole process (client and in-process server); the curl row adds the
/// child process's CPU to the server's.
func runFetchBench(arguments: [String]) async throws {
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
    var urls: [(String, FetchKind)] = []
    for i in 0..<feeds {
        urls.append(("\(origin)/feed/\(i).xml", .feed))
        for j in 0..<articles { urls.append(("\(origin)/article/\(i)/\(j).html", .page)) }
    }

    let options = FetchOptions(
        allowPrivateAddresses: true,
        maxConcurrentTransfers: concurrency,
        maxConcurrentPerHost: concurrency,
        perHostDelaySeconds: 0
    )
    let fetcher = try Fetcher(
        options: options, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
    // Warm-up: connection set-up and first-use costs.
    for (url, kind) in urls.prefix(concurrency) { _ = try await fetcher.fetch(FetchRequest(url: url, kind: kind)) }

    let cpu0 = cpuSeconds(RUSAGE_SELF)
    let t0 = monotonicSeconds()
    let (ok, failed, bytes) = await fetchAll(fetcher, urls, concurrency: concurrency)
    let wall = monotonicSeconds() - t0
    let cpu = cpuSeconds(RUSAGE_SELF) - cpu0
    await fetcher.shutdown()
    let hwm = peakRSSKiB()

    // Peer: curl CLI, same URLs, same server, same parallelism.
    var peer: (wall: Double, cpu: Double)?
    let config = FileManager.default.temporaryDirectory.appendingPathComponent("sift-fetchbench-\(getpid()).curl")
    let lines = urls.map { "url = \"\($0.0)\"\noutput = \"/dev/null\"\n" }.joined()
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

    let n = Double(urls.count)
    print("fetch: \(feeds) feeds × \(articles) articles = \(urls.count) fetches, concurrency \(concurrency)")
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
}

private func fetchAll(_ fetcher: Fetcher, _ urls: [(String, FetchKind)], concurrency: Int) async -> (Int, Int, Int) {
    await withTaskGroup(of: Int?.self) { group in
        var next = 0
        var ok = 0
        var failed = 0
        var bytes = 0
        func add() {
            let (url, kind) = urls[next]
            next += 1
            group.addTask {
                do {
                    return try await fetcher.fetch(FetchRequest(url: url, kind: kind)).body.count
                } catch {
                    return nil
                }
            }
        }
        while next < min(concurrency, urls.count) { add() }
        while let result = await group.next() {
            if let result {
                ok += 1
                bytes += result
            } else {
                failed += 1
            }
            if next < urls.count { add() }
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

private func peakRSSKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
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
