// Dedup benchmark: fingerprint speed from text, cluster index speed and memory at scale, and
// clustering quality on the near-duplicate development corpus, with datasketch and rensa measured
// in the same run (Benchmarks/dedup/peers.py, installed by Benchmarks/dedup/setup.sh).

import Clustering
import Fingerprint
import Foundation
import Model

/// Runs the dedup benchmark and prints its table.
///
/// Options: `--index-docs N` (default 1,000,000), `--peer-index-docs N` (default 20,000),
/// `--no-peers`, `--no-index`, `--no-speed` (skip those parts), `--index-only` (only the two index
/// runs with the derived banding, grown and sized in advance), `--index-run grown|presized` (only
/// that index run, to profile it or measure its memory alone), `--sketch-only` (part 1 alone, with
/// a digest of every signature to check that a change keeps them bit-identical; `--passes N` times
/// N passes over the documents instead of two CPU seconds), `--bands B --rows R` (the index
/// run's banding instead of the derived one), `--seed S` (fingerprint seed, to
/// check that quality does not hinge on one seed), `--dump-clusters PATH` (the dev corpus clusters,
/// for `score.py`).
///
/// - Parameters:
///   - arguments: The command-line options.
/// - Throws: When the fingerprint or clustering parameters are invalid.
func runDedupBench(arguments: [String]) async throws {
    func option(_ name: String, _ fallback: Int) -> Int {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
        return Int(arguments[index + 1]) ?? fallback
    }
    let indexDocuments = option("--index-docs", 1_000_000)
    let peerIndexDocuments = option("--peer-index-docs", 20_000)
    let indexOnly = arguments.contains("--index-only")
    let runPeers = !arguments.contains("--no-peers") && !indexOnly
    let skipIndex = arguments.contains("--no-index")
    let skipSpeed = arguments.contains("--no-speed") || indexOnly
    var fingerprintParameters = FingerprintParameters()
    if let index = arguments.firstIndex(of: "--seed"), index + 1 < arguments.count,
        let seed = UInt64(arguments[index + 1])
    {
        fingerprintParameters.seed = seed
    }

    print("== dedup ==")
    let documents = DedupBenchData.fiveHundredWordDocuments(limit: 2000)
    guard !documents.isEmpty else {
        print("dedup: no Arabic texts found under ../shared (arabic_news_sources or eval/neardup); skipped")
        return
    }
    let fingerprinter = try Fingerprinter(parameters: fingerprintParameters)

    // 1. Fingerprinting from text.
    var signatureRate = 0.0
    var bothRate = 0.0
    let passes = option("--passes", 0)
    if !skipSpeed {
        signatureRate = DedupBenchData.rate(documents, passes: passes) { _ = fingerprinter.signature(of: $0) }
        bothRate = DedupBenchData.rate(documents, passes: passes) { _ = fingerprinter.signatures(of: $0) }
    }
    if arguments.contains("--sketch-only") {
        print(String(format: "docs/s from text (128 permutations)          %.0f", signatureRate))
        print(String(format: "docs/s from text, document + lead signature  %.0f", bothRate))
        print("signature digest \(DedupBenchData.signatureDigest(documents, fingerprinter: fingerprinter))")
        return
    }

    // 2. The cluster index at scale (synthetic document and lead signatures).
    var grown = DedupBenchData.IndexFigures()
    var sixteenBandRate = 0.0
    var presizedRate = 0.0
    var presizedAtSizeRate = 0.0
    var onlyRun: String?
    if let index = arguments.firstIndex(of: "--index-run"), index + 1 < arguments.count {
        onlyRun = arguments[index + 1]
    }
    let retentionOperations = option("--retention-ops", 200_000)
    // Below the bucket table's next doubling at 1M documents (0.8 × 2^26 entries: 1.05M documents at 51
    // bands, 1.49M at the default 28 + 8).
    let atSizeOperations = option("--at-size-ops", 40_000)
    let explicitBands = option("--bands", 0)
    let explicitRows = option("--rows", 0)
    // `--bands` / `--rows` apply to the main index run and to the quality run.
    let chosen = ClusteringParameters(
        bands: explicitBands > 0 ? explicitBands : nil,
        rows: explicitRows > 0 ? explicitRows : nil,
        leadBands: option("--lead-bands", ClusteringParameters().leadBands)
    )
    if !skipIndex {
        if onlyRun == nil || onlyRun == "grown" {
            grown = try DedupBenchData.indexRun(
                documents: indexDocuments,
                signatureParameters: fingerprinter.signatureParameters,
                parameters: chosen,
                retentionOperations: retentionOperations,
                atSizeOperations: atSizeOperations
            )
        }
        // The same with rensa's 16 bands, for a like-for-like comparison (lower recall of low-similarity
        // pairs).
        if !indexOnly, onlyRun == nil {
            sixteenBandRate = try DedupBenchData.indexRun(
                documents: indexDocuments,
                signatureParameters: fingerprinter.signatureParameters,
                parameters: ClusteringParameters(bands: 16, rows: 8)
            ).rate
        }
        // The same as the first run with the index sized in advance (as before a restore); its resident
        // bytes only when it runs alone.
        if onlyRun == nil || onlyRun == "presized" {
            let presized = try DedupBenchData.indexRun(
                documents: indexDocuments,
                signatureParameters: fingerprinter.signatureParameters,
                parameters: chosen,
                reserve: true,
                atSizeOperations: atSizeOperations
            )
            presizedRate = presized.rate
            presizedAtSizeRate = presized.atSizeRate
            if onlyRun != nil {
                (grown.bytesPerDocument, grown.bands, grown.rows, grown.leadBands) = (
                    presized.bytesPerDocument, presized.bands, presized.rows, presized.leadBands
                )
            }
        }
    }
    let (indexRate, bytesPerDocument, bands, rows) = (grown.rate, grown.bytesPerDocument, grown.bands, grown.rows)
    // Every band the index probes per operation: the signature's and the lead's.
    let probedBands = bands + grown.leadBands
    // The table work alone in C, with the main run's banding: the machine's floor under the index rates.
    let floor =
        skipIndex || bands == 0
        ? nil : DedupBenchData.tableFloorRate(documents: indexDocuments, bands: probedBands, atSize: atSizeOperations)

    // 3. Quality on the development corpus.
    var dumpPath: String?
    if let index = arguments.firstIndex(of: "--dump-clusters"), index + 1 < arguments.count {
        dumpPath = arguments[index + 1]
    }
    let quality =
        indexOnly
        ? nil
        : try DedupBenchData.devF1(
            fingerprinter: fingerprinter,
            parameters: chosen,
            dumpPath: dumpPath
        )

    // 4. Peers.
    var peers: [String: Double] = [:]
    if runPeers {
        peers = DedupBenchData.runPeers(
            documents: documents,
            indexDocuments: peerIndexDocuments,
            largeIndexDocuments: option("--peer-large-index-docs", indexDocuments)
        )
    }

    func ratio(_ ours: Double, _ key: String) -> String {
        guard let theirs = peers[key], theirs > 0 else { return "—" }
        return String(format: "%.1f×", ours / theirs)
    }
    func number(_ key: String, _ format: String = "%.0f") -> String {
        guard let value = peers[key] else { return "—" }
        return String(format: format, value)
    }
    func row(_ cells: [String]) {
        let widths = [46, 12, 12, 12, 8, 9]
        var line = ""
        for (column, cell) in cells.enumerated() {
            let width = widths[min(column, widths.count - 1)]
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            line += column == 0 ? cell + padding : " " + padding + cell
        }
        print(line)
    }
    let peerIndexCount = Int(peers["index_docs"] ?? 0)
    print("source: \(DedupBenchData.sourceDescription), \(documents.count) docs of 500 words; rates per CPU second")
    row(["metric", "sift", "datasketch", "rensa", "vs ds", "vs rensa"])
    row([
        "docs/s from text (128 permutations)", String(format: "%.0f", signatureRate),
        number("datasketch_docs_per_second"), number("rensa_docs_per_second"),
        ratio(signatureRate, "datasketch_docs_per_second"), ratio(signatureRate, "rensa_docs_per_second"),
    ])
    row(["docs/s from text, document + lead signature", String(format: "%.0f", bothRate)])
    row([
        "index insert+query ops/s", String(format: "%.0f", indexRate),
        number("datasketch_index_ops_per_second"), number("rensa_index_ops_per_second"),
        ratio(indexRate, "datasketch_index_ops_per_second"), ratio(indexRate, "rensa_index_ops_per_second"),
    ])
    if !indexOnly {
        row([
            "index insert+query ops/s, 16 bands × 8 rows", String(format: "%.0f", sixteenBandRate), "",
            number("rensa_index_ops_per_second"), "", ratio(sixteenBandRate, "rensa_index_ops_per_second"),
        ])
    }
    if let large = peers["large_index_docs"] {
        row([
            "index insert+query ops/s, rensa at \(Int(large)) docs", "", "",
            number("rensa_large_index_ops_per_second"), "",
            ratio(indexRate, "rensa_large_index_ops_per_second"),
        ])
    }
    row(["index insert+query ops/s, sized in advance", String(format: "%.0f", presizedRate)])
    if let floor {
        row([
            "LSH table work alone in C, same table (floor)", String(format: "%.0f", floor.build), "", "",
            "sift/C", String(format: "%.2f×", max(indexRate, presizedRate) / floor.build),
        ])
    }
    // The index already holding its documents: the next `atSizeOperations` documents, timed apart.
    row([
        "at size: index insert+query ops/s, grown", String(format: "%.0f", grown.atSizeRate), "", "",
        "next", "\(atSizeOperations)",
    ])
    row(["at size: index insert+query ops/s, sized", String(format: "%.0f", presizedAtSizeRate)])
    if let floor {
        row([
            "at size: LSH table work alone in C (floor)", String(format: "%.0f", floor.atSize), "", "",
            "sift/C", String(format: "%.2f×", max(grown.atSizeRate, presizedAtSizeRate) / max(1, floor.atSize)),
        ])
    } else if !skipIndex {
        print("LSH table floor: no C compiler (cc) found; skipped")
    }
    row([
        "retention window ops/s (insert+query+evict)", String(format: "%.0f", grown.retentionRate), "", "",
        "growth", String(format: "%.0f B/doc", grown.retentionGrowthPerDocument),
    ])
    row(["  its insert+query ops/s (steady state at size)", String(format: "%.0f", grown.retentionAssignRate)])
    row(["  its evictions/s", String(format: "%.0f", grown.retentionEvictRate)])
    row(["  (documents in the index)", "\(indexDocuments)", "\(peerIndexCount)", "\(peerIndexCount)"])
    row([
        "index resident bytes/doc", String(format: "%.0f", bytesPerDocument), "", "",
        "bands \(bands)+\(grown.leadBands)", "rows \(rows)",
    ])
    if let quality {
        row([
            "dev corpus pairwise F1", String(format: "%.4f", quality.f1), number("datasketch_f1", "%.4f"), "",
            String(format: "P %.3f", quality.precision), String(format: "R %.3f", quality.recall),
        ])
    } else if !indexOnly {
        print("dev corpus F1: ../shared/eval/neardup/dev not found; skipped")
    }
    if runPeers, peers.isEmpty {
        print("peers: Benchmarks/.venv missing (run Benchmarks/dedup/setup.sh); skipped")
    }
}

/// Inputs and measurements of the dedup benchmark.
enum DedupBenchData {
    static let sourcesDirectory = "../shared/arabic_news_sources/saudinewsnet"
    static let devDirectory = "../shared/eval/neardup/dev"
    nonisolated(unsafe) static var sourceDescription = ""

    /// Documents of exactly 500 words, built from consecutive source articles (lines kept).
    static func fiveHundredWordDocuments(limit: Int) -> [String] {
        var texts: [String] = []
        let manager = FileManager.default
        if let names = try? manager.contentsOfDirectory(atPath: sourcesDirectory) {
            for name in names.sorted() where name.hasSuffix(".txt") {
                if let text = try? String(contentsOfFile: "\(sourcesDirectory)/\(name)", encoding: .utf8) {
                    texts.append(text)
                }
            }
            sourceDescription = "arabic_news_sources/saudinewsnet"
        }
        if texts.isEmpty, let data = manager.contents(atPath: "\(devDirectory)/docs.jsonl") {
            for line in data.split(separator: 0x0A) {
                if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                    let text = object["text"] as? String
                {
                    texts.append(text)
                }
            }
            sourceDescription = "eval/neardup/dev"
        }
        var documents: [String] = []
        var lines: [String] = []
        var words = 0
        for text in texts {
            for line in text.split(separator: "\n") {
                let lineWords = line.split(separator: " ")
                if words + lineWords.count >= 500 {
                    lines.append(lineWords.prefix(500 - words).joined(separator: " "))
                    documents.append(lines.joined(separator: "\n"))
                    if documents.count == limit { return documents }
                    lines = []
                    words = 0
                } else {
                    lines.append(String(line))
                    words += lineWords.count
                }
            }
        }
        return documents
    }

    /// CPU seconds used by this thread (the machine is shared, so wall time would understate speed).
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Items per CPU second of `body` over `items`, repeated for at least two CPU seconds (or
    /// exactly `passes` times when positive).
    static func rate(_ items: [String], passes: Int = 0, _ body: (String) -> Void) -> Double {
        var count = 0
        let start = cpuSeconds()
        var elapsed = 0.0
        var done = 0
        repeat {
            for item in items { body(item) }
            count += items.count
            done += 1
            elapsed = cpuSeconds() - start
        } while passes > 0 ? done < passes : elapsed < 2
        return Double(count) / elapsed
    }

    /// One hash of every document and lead signature of `documents` (text and paragraph entry
    /// points), and of the dev corpus documents when present: equal digests, equal signatures.
    static func signatureDigest(_ documents: [String], fingerprinter: Fingerprinter) -> String {
        var texts = documents
        if let data = FileManager.default.contents(atPath: "\(devDirectory)/docs.jsonl") {
            for line in data.split(separator: 0x0A) {
                if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                    let text = object["text"] as? String
                {
                    texts.append(text)
                }
            }
        }
        // Random texts over every kind of scalar (ASCII, Arabic, Latin accents, combining marks,
        // CJK, presentation forms, any BMP or supplementary scalar), so that every path of the
        // normalizer is covered.
        var state: UInt64 = 0x5349_4654
        func next(_ bound: UInt32) -> UInt32 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            let z = withUnsafeBytes(of: state) { StableHash.xxh64($0) }
            return UInt32(truncatingIfNeeded: (z >> 32) % UInt64(bound))
        }
        let ranges: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x20...0x20, 0x0A...0x0A, 0x600...0x6FF, 0x621...0x64A, 0x64B...0x65F, 0xC0...0x24F,
            0x300...0x36F, 0x4E00...0x4E80, 0xFB50...0xFEFF, 0xE00...0xE7F, 0x0...0xFFFF, 0x10000...0x10FFFF,
        ]
        for _ in 0..<400 {
            var scalars = String.UnicodeScalarView()
            let length = Int(next(600))
            let favourite = Int(next(UInt32(ranges.count)))
            for _ in 0..<length {
                let range = next(3) == 0 ? ranges[Int(next(UInt32(ranges.count)))] : ranges[favourite]
                let value = range.lowerBound + next(range.upperBound - range.lowerBound + 1)
                if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
                if next(6) == 0 { scalars.append(" ") }
            }
            texts.append(String(scalars))
        }
        var hash: UInt64 = 0
        func mix(_ signature: Signature) {
            var values = signature.values
            values.append(UInt64(signature.shingleCount))
            hash = values.withUnsafeBytes { StableHash.xxh64($0, seed: hash) }
        }
        for text in texts {
            mix(fingerprinter.signature(of: text))
            let both = fingerprinter.signatures(of: text)
            mix(both.document)
            mix(both.lead)
            let paragraphs = text.split(whereSeparator: \.isNewline).map(String.init)
            let fromParagraphs = fingerprinter.signatures(ofParagraphs: paragraphs)
            mix(fromParagraphs.document)
            mix(fromParagraphs.lead)
            mix(fingerprinter.signature(ofParagraphs: paragraphs))
        }
        return String(format: "%016llx over %d texts", hash, texts.count)
    }

    static func residentBytes() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * 4096
    }

    /// Figures of one ``indexRun(documents:signatureParameters:parameters:reserve:retentionOperations:)``.
    struct IndexFigures {
        /// Insert+query operations per CPU second while the index grew to its size.
        var rate = 0.0
        /// Resident bytes per indexed document at that size.
        var bytesPerDocument = 0.0
        var bands = 0
        var rows = 0
        /// Extra bands over the lead signature.
        var leadBands = 0
        /// Retention-window operations (insert+query of a new document, eviction of the oldest)
        /// per CPU second with the index held at its size (0 when not measured).
        var retentionRate = 0.0
        /// Resident bytes gained per indexed document over the retention operations.
        var retentionGrowthPerDocument = 0.0
        /// The insert+query calls of the retention window alone, per CPU second: the index at its
        /// size, its memory reused (freed slots and emptied entries), as in a daemon's steady state.
        var retentionAssignRate = 0.0
        /// The evictions of the retention window alone, per CPU second.
        var retentionEvictRate = 0.0
        /// Insert+query operations per CPU second with the index already at its size: the next
        /// documents after it was built, timed apart (0 when not measured).
        var atSizeRate = 0.0
    }

    /// Assigns `documents` synthetic signatures, then optionally runs `retentionOperations`
    /// operations of a retention window (each assigns one more document and evicts the oldest),
    /// timed apart.
    ///
    /// With `reserve`, the index is sized for them first (``ClusterIndex/reserveCapacity(documents:)``,
    /// timed with the rest).
    ///
    /// Resident bytes are meaningful for the first run only (freed memory is not returned to the system).
    static func indexRun(
        documents: Int,
        signatureParameters: SignatureParameters,
        parameters: ClusteringParameters,
        reserve: Bool = false,
        retentionOperations: Int = 0,
        atSizeOperations: Int = 0
    ) throws -> IndexFigures {
        let before = residentBytes()
        let index = try ClusterIndex(parameters: parameters, signatureParameters: signatureParameters)
        var elapsed = 0.0
        if reserve {
            let start = cpuSeconds()
            index.reserveCapacity(documents: documents + atSizeOperations)
            elapsed += cpuSeconds() - start
        }
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        // Signatures are generated (untimed) this many at a time, then assigned (timed): 1,000
        // documents' signatures (2 MB) stay mostly in cache, as a just-computed signature does in the
        // daemon and in `sift dedup`. With 10,000 (20 MB) each assign also read its input from memory:
        // measured at 1M documents, 10–20% of the at-size time.
        let batch = 1_000
        /// Documents in the index once built and grown by the at-size operations.
        let held = documents + atSizeOperations
        /// Assigns documents `first..<first + count` in batches of `batch`; when `evicting`, each
        /// batch is followed by the eviction of as many of the oldest documents (`first - held + k`),
        /// so the index holds between `held` and `held + batch`. Returns the CPU seconds of the
        /// assign calls and of the evict calls.
        func assign(from first: Int, count: Int, evicting: Bool) throws -> (assign: Double, evict: Double) {
            var seconds = (assign: 0.0, evict: 0.0)
            var done = 0
            while done < count {
                let size = min(batch, count - done)
                // A document and its lead paragraph (the daemon indexes both).
                var signatures: [(document: Signature, lead: Signature)] = []
                signatures.reserveCapacity(size)
                for _ in 0..<size {
                    let values = (0..<signatureParameters.permutations).map { _ in next() & 0xFFFF_FFFF }
                    let lead = (0..<signatureParameters.permutations).map { _ in next() & 0xFFFF_FFFF }
                    signatures.append(
                        (
                            Signature(parameters: signatureParameters, values: values, shingleCount: 400),
                            Signature(parameters: signatureParameters, values: lead, shingleCount: 60)
                        ))
                }
                let ids = (0..<size).map { "doc-\(first + done + $0)" }
                let evicted = evicting ? (0..<size).map { "doc-\(first - held + done + $0)" } : []
                var start = cpuSeconds()
                for offset in signatures.indices {
                    _ = try index.assign(
                        documentID: ids[offset], signature: signatures[offset].document, lead: signatures[offset].lead)
                }
                seconds.assign += cpuSeconds() - start
                if evicting {
                    start = cpuSeconds()
                    for id in evicted { index.evict(documentID: id) }
                    seconds.evict += cpuSeconds() - start
                }
                done += size
            }
            return seconds
        }
        elapsed += try assign(from: 0, count: documents, evicting: false).assign
        let after = residentBytes()
        var figures = IndexFigures(
            rate: Double(documents) / elapsed,
            bytesPerDocument: (after - before) / Double(max(1, index.documentCount)),
            bands: index.bands,
            rows: index.rows,
            leadBands: index.leadBands
        )
        var next = documents
        if atSizeOperations > 0 {
            let seconds = try assign(from: next, count: atSizeOperations, evicting: false).assign
            figures.atSizeRate = Double(atSizeOperations) / seconds
            next += atSizeOperations
        }
        if retentionOperations > 0 {
            let seconds = try assign(from: next, count: retentionOperations, evicting: true)
            figures.retentionRate = Double(retentionOperations) / (seconds.assign + seconds.evict)
            figures.retentionAssignRate = Double(retentionOperations) / seconds.assign
            figures.retentionEvictRate = Double(retentionOperations) / seconds.evict
            figures.retentionGrowthPerDocument = (residentBytes() - after) / Double(max(1, index.documentCount))
        }
        return figures
    }

    /// Pairwise precision, recall and F1 of the `sift dedup` pipeline on the development corpus.
    static func devF1(
        fingerprinter: Fingerprinter,
        parameters: ClusteringParameters = ClusteringParameters(),
        dumpPath: String? = nil
    ) throws -> (precision: Double, recall: Double, f1: Double)? {
        let manager = FileManager.default
        guard let docs = manager.contents(atPath: "\(devDirectory)/docs.jsonl"),
            let truthData = manager.contents(atPath: "\(devDirectory)/clusters.json"),
            let truth = try JSONSerialization.jsonObject(with: truthData) as? [[String]]
        else { return nil }
        let index = try ClusterIndex(parameters: parameters, signatureParameters: fingerprinter.signatureParameters)
        let boilerplate = BoilerplateFilter()
        var clusterOf: [String: String] = [:]
        for line in docs.split(separator: 0x0A) {
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let id = object["id"] as? String, let text = object["text"] as? String
            else { continue }
            let paragraphs = text.split(whereSeparator: \.isNewline).map(String.init)
            var kept = boilerplate.filter(paragraphs)
            if kept.isEmpty { kept = paragraphs }
            let signatures = fingerprinter.signatures(ofParagraphs: kept)
            let assignment = try index.assign(documentID: id, signature: signatures.document, lead: signatures.lead)
            clusterOf[id] = assignment.clusterID
            boilerplate.learn(paragraphs, group: assignment.clusterID)
        }
        if let dumpPath {
            var members: [String: [String]] = [:]
            for (id, cluster) in clusterOf { members[cluster, default: []].append(id) }
            let clusters = members.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
            let data = try JSONSerialization.data(withJSONObject: clusters)
            _ = FileManager.default.createFile(atPath: dumpPath, contents: data)
        }
        var truePairs = 0
        var correct = 0
        for cluster in truth {
            for i in cluster.indices {
                for j in cluster.indices where j > i {
                    truePairs += 1
                    if clusterOf[cluster[i]] == clusterOf[cluster[j]] { correct += 1 }
                }
            }
        }
        var sizes: [String: Int] = [:]
        for cluster in clusterOf.values { sizes[cluster, default: 0] += 1 }
        let predictedPairs = sizes.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        let precision = predictedPairs == 0 ? 1 : Double(correct) / Double(predictedPairs)
        let recall = truePairs == 0 ? 1 : Double(correct) / Double(truePairs)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return (precision, recall, f1)
    }

    /// Compiles and runs `Benchmarks/dedup/table_floor.c` (the LSH table work of the index alone);
    /// returns its insert+query operations per CPU second while the table fills to `documents`,
    /// and over `atSize` more documents after that, or `nil` without a C compiler.
    static func tableFloorRate(documents: Int, bands: Int, atSize: Int) -> (build: Double, atSize: Double)? {
        let source = "Benchmarks/dedup/table_floor.c"
        let binary = NSTemporaryDirectory() + "sift-table-floor-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: binary) }
        guard FileManager.default.fileExists(atPath: source),
            ExtractBenchData.run("/usr/bin/env", ["cc", "-O2", "-o", binary, source]) != nil,
            let output = ExtractBenchData.run(binary, [String(documents), String(bands), String(atSize)]),
            let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any],
            let build = (object["floor_ops_per_second"] as? NSNumber)?.doubleValue
        else { return nil }
        return (build, (object["floor_at_size_ops_per_second"] as? NSNumber)?.doubleValue ?? 0)
    }

    /// Runs Benchmarks/dedup/peers.py in Benchmarks/.venv on the same documents.
    static func runPeers(documents: [String], indexDocuments: Int, largeIndexDocuments: Int) -> [String: Double] {
        let python = "Benchmarks/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else { return [:] }
        let path = NSTemporaryDirectory() + "sift-dedup-bench-\(getpid()).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var lines = Data()
        for (number, text) in documents.enumerated() {
            guard let json = try? JSONSerialization.data(withJSONObject: ["id": "\(number)", "text": text]) else {
                continue
            }
            lines.append(json)
            lines.append(0x0A)
        }
        guard FileManager.default.createFile(atPath: path, contents: lines) else { return [:] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        let dev = FileManager.default.fileExists(atPath: "\(devDirectory)/docs.jsonl") ? devDirectory : "-"
        process.arguments = [
            "Benchmarks/dedup/peers.py", path, dev, String(indexDocuments), String(largeIndexDocuments),
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            return [:]
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any]
        else { return [:] }
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
}
