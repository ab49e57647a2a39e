// Extraction benchmark: quality (shingle F1 with the yardstick's score.py) and single-core
// throughput of `Extractor` with each HTML parser (libxml2, the default, and the built-in
// tokenizer) on the 181 Scrapinghub pages, libxml2's parse-only rates as a floor, and
// trafilatura / readability-lxml measured in the same run (Benchmarks/extraction/peers.sh).

@_spi(Benchmarks) import Extraction
import Foundation
import Markup
import Model

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the extraction benchmark and prints its table.
///
/// Options: `--passes N` timed passes over all pages, best kept (default 5); `--peer-pages N`
/// pages timed for the peers' throughput (default 40; F1 always uses every page);
/// `--peer-seconds S` time box for the peers (default 900); `--no-peers`; `--parser NAME` only
/// that backend; `--no-floors` skips the parse-only rows; `--keep DIR` writes each backend's
/// per-page output under DIR (to compare two builds); `--profile N` only runs N untimed passes of
/// the default extractor and prints nothing else (for callgrind or `perf stat`); `--dump-input DIR`
/// only writes each page's libxml2 input (what the default backend hands to libxml2) under DIR.
///
/// - Parameters:
///   - arguments: The command-line options.
/// - Throws: When the prediction directory cannot be written.
func runExtractBench(arguments: [String]) async throws {
    func option(_ name: String, _ fallback: Int) -> Int {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
            let value = Int(arguments[index + 1])
        else { return fallback }
        return value
    }
    let passes = max(1, option("--passes", 5))
    let peerPages = option("--peer-pages", 40)
    let peerSeconds = option("--peer-seconds", 900)
    let runPeers = !arguments.contains("--no-peers")
    let runFloors = !arguments.contains("--no-floors")
    func text(_ name: String) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
    let backends =
        text("--parser").map { name in HTMLParserBackend.allCases.filter { $0.rawValue == name } }
        ?? HTMLParserBackend.allCases
    let keep = text("--keep")
    let profilePasses = option("--profile", 0)

    print("== extract ==")
    let evalDirectory = "../shared/eval/extraction"
    let htmlDirectory = evalDirectory + "/scrapinghub/html"
    let truth = evalDirectory + "/scrapinghub/ground-truth.json"
    guard FileManager.default.fileExists(atPath: truth) else {
        print("extract: \(evalDirectory) is absent; skipped")
        return
    }
    let pages = try ExtractBenchData.loadPages(htmlDirectory)
    if let directory = text("--dump-input") {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for page in pages {
            let utf8 = CharsetDecoder.decodeDocument(page.html, transportCharset: nil, html: true).utf8
            let input = Extractor.libxml2Input(utf8: utf8) ?? utf8
            try Data(input).write(to: URL(fileURLWithPath: directory).appendingPathComponent("\(page.id).html"))
        }
        print("libxml2 input of \(pages.count) pages written to \(directory)")
        return
    }
    if profilePasses > 0 {
        let extractor = Extractor(options: ExtractionOptions(parser: backends.first ?? .libxml2))
        var characters = 0
        for _ in 0..<profilePasses {
            for page in pages { characters += (try? extractor.extract(html: page.html).text.utf8.count) ?? 0 }
        }
        print("pages: \(pages.count * profilePasses), output bytes: \(characters)")
        return
    }
    let megabytes = Double(pages.reduce(0) { $0 + $1.html.count }) / 1_048_576
    print("pages: \(pages.count), \(String(format: "%.1f", megabytes)) MB of HTML (decompressed, in memory)")

    let work = FileManager.default.temporaryDirectory.appendingPathComponent("sift-extractbench-\(getpid())")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    var rows: [(name: String, scores: ExtractBenchData.Scores?, empty: Int?, rate: Double?, note: String)] = []

    // Each parser backend: one pass writing predictions (quality), then the best of N timed passes,
    // CPU time of this (single) thread, charset decoding and parse included.
    var rateOf: [HTMLParserBackend: Double] = [:]
    for backend in backends {
        let extractor = Extractor(options: ExtractionOptions(parser: backend))
        let predictions =
            keep.map { URL(fileURLWithPath: $0).appendingPathComponent(backend.rawValue) }
            ?? work.appendingPathComponent("sift-\(backend.rawValue)")
        try FileManager.default.createDirectory(at: predictions, withIntermediateDirectories: true)
        var empty = 0
        for page in pages {
            let text = (try? extractor.extract(html: page.html).text) ?? ""
            if text.isEmpty { empty += 1 }
            try Data(text.utf8).write(to: predictions.appendingPathComponent("\(page.id).txt"))
        }
        let scores = ExtractBenchData.score(truth: truth, predictions: predictions.path, evalDirectory: evalDirectory)
        var best = Double.infinity
        for _ in 0..<passes {
            let start = ExtractBenchData.cpuSeconds()
            for page in pages { _ = try? extractor.extract(html: page.html) }
            best = min(best, ExtractBenchData.cpuSeconds() - start)
        }
        let rate = Double(pages.count) / best
        rateOf[backend] = rate
        let isDefault = backend == ExtractionOptions().parser ? ", default" : ""
        let note = "parser \(backend.rawValue)\(isDefault); best of \(passes)"
        rows.append(("sift \(backend.rawValue)", scores, empty, rate, note))
    }

    // Floors: libxml2's HTML parser alone. `HTMLTree(bytes:)` decodes the charset and builds
    // libxml2's tree of the whole page; `parseAndWalk` is the parse the libxml2 backend runs (UTF-8
    // in, SAX events), timed on whole pages and on what the backend really feeds it: the page minus
    // its script and style bodies and the attributes the extractor never reads, with runs of white
    // space in text shortened.
    var parseBest = Double.infinity
    var walkBest = Double.infinity
    var inputBest = Double.infinity
    let utf8Pages = pages.map { CharsetDecoder.decodeDocument($0.html, transportCharset: nil, html: true).utf8 }
    let inputPages = utf8Pages.map { Extractor.libxml2Input(utf8: $0) ?? $0 }
    for _ in 0..<(runFloors ? max(1, passes / 2) : 0) {
        var start = ExtractBenchData.cpuSeconds()
        for page in pages { _ = try? HTMLTree(bytes: page.html) }
        parseBest = min(parseBest, ExtractBenchData.cpuSeconds() - start)
        start = ExtractBenchData.cpuSeconds()
        for page in utf8Pages {
            var visitor = CountingVisitor()
            _ = try? HTMLTree.parseAndWalk(utf8: page, visitor: &visitor)
        }
        walkBest = min(walkBest, ExtractBenchData.cpuSeconds() - start)
        start = ExtractBenchData.cpuSeconds()
        for page in inputPages {
            var visitor = CountingVisitor()
            _ = try? HTMLTree.parseAndWalk(utf8: page, visitor: &visitor)
        }
        inputBest = min(inputBest, ExtractBenchData.cpuSeconds() - start)
    }
    if runFloors {
        rows.append(
            ("libxml2 tree parse", nil, nil, Double(pages.count) / parseBest, "HTMLTree(bytes:): charset + DOM"))
        rows.append(
            ("libxml2 SAX parse", nil, nil, Double(pages.count) / walkBest, "parseAndWalk, whole page, no-op"))
        rows.append(
            (
                "libxml2 SAX, trimmed", nil, nil, Double(pages.count) / inputBest,
                "parseAndWalk, no-op, on the extractor's libxml2 input (prepared outside the timing)"
            ))
    }
    let siftRows = rows.count
    if runPeers {
        let peerOutput = work.appendingPathComponent("peers")
        for peer in ExtractBenchData.runPeers(output: peerOutput.path, pages: peerPages, seconds: peerSeconds) {
            rows.append((peer.name, peer.scores, peer.empty, peer.rate, "F1 all pages, speed \(peer.pages) pages"))
        }
        if rows.count == siftRows { print("peers: not available (see stderr); run Benchmarks/extraction/peers.sh") }
    }
    let libxml2Rate = rateOf[.libxml2] ?? 0
    let nativeRate = rateOf[.native] ?? 0

    print("")
    print(
        ExtractBenchData.pad("extractor", 22) + ExtractBenchData.pad("F1", 8) + ExtractBenchData.pad("P", 8)
            + ExtractBenchData.pad("R", 8) + ExtractBenchData.pad("empty", 7) + ExtractBenchData.pad("pages/CPU-s", 13)
            + ExtractBenchData.pad("libxml2 ×", 11) + ExtractBenchData.pad("native ×", 10) + "note")
    for row in rows {
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
        func ratio(_ rate: Double, _ width: Int) -> String {
            guard rate > 0 else { return ExtractBenchData.pad("-", width) }
            return ExtractBenchData.pad(row.rate.map { String(format: "%.1f", rate / $0) } ?? "-", width)
        }
        print(
            ExtractBenchData.pad(row.name, 22) + ExtractBenchData.pad(figure(row.scores?.f1), 8)
                + ExtractBenchData.pad(figure(row.scores?.precision), 8)
                + ExtractBenchData.pad(figure(row.scores?.recall), 8)
                + ExtractBenchData.pad(row.empty.map(String.init) ?? "-", 7)
                + ExtractBenchData.pad(row.rate.map { String(format: "%.0f", $0) } ?? "-", 13)
                + ratio(libxml2Rate, 11) + ratio(nativeRate, 10) + row.note)
    }
    print(
        "libxml2 × / native ×: speed of sift with that parser over the row's (default parser: "
            + "\(ExtractionOptions().parser.rawValue))")
    print("targets: F1 >= 0.970 with 0 empty; >= 1000 pages per CPU-second on one core")
}

/// Counts elements and text bytes: the cheapest visitor that still receives every event.
struct CountingVisitor: HTMLEventVisitor {
    var elements = 0
    var textBytes = 0

    mutating func startElement(_ element: HTMLElementEvent) -> HTMLContentChoice {
        elements += 1
        return .everything
    }

    mutating func endElement() {}

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) { textBytes += bytes.count }
}

/// Loading, timing, scoring and peer plumbing for ``runExtractBench(arguments:)``.
enum ExtractBenchData {
    struct Page {
        var id: String
        var html: [UInt8]
    }

    struct Scores {
        var f1: Double
        var precision: Double
        var recall: Double
    }

    struct Peer {
        var name: String
        var scores: Scores?
        var empty: Int?
        var rate: Double?
        var pages: Int
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// CPU time of the calling thread.
    static func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Reads and decompresses every `*.html.gz` page (outside any timing).
    static func loadPages(_ directory: String) throws -> [Page] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".html.gz") }
            .sorted()
        return names.compactMap { name in
            let output = run("/bin/gzip", ["-dc", directory + "/" + name])
            guard let output else { return nil }
            return Page(id: String(name.dropLast(8)), html: [UInt8](output))
        }
    }

    /// Runs the yardstick's scorer and reads its JSON summary.
    static func score(truth: String, predictions: String, evalDirectory: String) -> Scores? {
        let summary = predictions + ".summary.json"
        _ = run(
            "/usr/bin/env",
            [
                "python3", evalDirectory + "/score.py", truth, predictions, "--n-bootstrap", "200", "--json", summary,
            ])
        return readScores(summary)
    }

    static func readScores(_ path: String) -> Scores? {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let f1 = object["f1"] as? Double, let precision = object["precision"] as? Double,
            let recall = object["recall"] as? Double
        else { return nil }
        return Scores(f1: f1, precision: precision, recall: recall)
    }

    /// Runs Benchmarks/extraction/peers.sh and parses its JSON lines.
    static func runPeers(output: String, pages: Int, seconds: Int) -> [Peer] {
        guard
            let data = run(
                "/bin/bash", ["Benchmarks/extraction/peers.sh", output, String(pages), String(seconds)],
                passStderr: true)
        else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let name = object["name"] as? String
            else { return nil }
            let version = object["version"] as? String ?? "?"
            var scores: Scores?
            if let s = object["scores"] as? [String: Any], let f1 = s["f1"] as? Double,
                let p = s["precision"] as? Double, let r = s["recall"] as? Double
            {
                scores = Scores(f1: f1, precision: p, recall: r)
            }
            return Peer(
                name: "\(name) \(version)", scores: scores, empty: object["empty"] as? Int,
                rate: object["pages_per_cpu_s"] as? Double, pages: object["throughput_pages"] as? Int ?? pages)
        }
    }

    /// Runs a program; returns its standard output, or nil when it fails.
    static func run(_ program: String, _ arguments: [String], passStderr: Bool = false) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        if !passStderr { process.standardError = FileHandle.nullDevice }
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? data : nil
    }
}
