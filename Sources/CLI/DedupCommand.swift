import ArgumentParser
import Clustering
import Fingerprint
import Foundation

/// `sift dedup`: the near-duplicate engine run as a batch over a JSON Lines file.
///
/// Documents are processed in file order, as if they arrived in that order: boilerplate lines known
/// across the corpus are dropped, the rest is fingerprinted and assigned to a cluster, and the
/// document's lines are then learned under that cluster. Only the index state is kept in memory.
struct DedupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "Cluster near-duplicate documents of a JSON Lines file.",
        discussion: """
            Input: one {"id": "…", "text": "…", "title"?: "…"} object per line, in arrival order.
            Output: a JSON array of clusters, each an array of ids (singletons included).
            """
    )

    @Option(name: .long, help: "The JSON Lines file of documents.")
    var input: String

    @Option(name: .long, help: "Where to write the clusters (standard output when absent).")
    var output: String?

    @Option(name: .long, help: "Estimated Jaccard similarity at or above which documents match.")
    var threshold: Double?

    func validate() throws {
        if let threshold, !(threshold > 0 && threshold <= 1) {
            throw ValidationError("--threshold must be in (0, 1], got \(threshold)")
        }
    }

    func run() throws {
        var clustering = ClusteringParameters()
        if let threshold { clustering.threshold = threshold }
        let engine = try DedupEngine(clustering: clustering)
        guard let reader = LineReader(path: input) else {
            throw DedupFailure("cannot open \(input)")
        }
        let progress = isatty(2) == 1
        let decoder = JSONDecoder()
        var lineNumber = 0
        while let line = reader.nextLine() {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let document: DedupDocument
            do {
                document = try decoder.decode(DedupDocument.self, from: line)
            } catch {
                throw DedupFailure("\(input):\(lineNumber): not a {\"id\", \"text\"} JSON object")
            }
            if !engine.add(document), progress {
                let warning = "\(input):\(lineNumber): duplicate id \(document.id) skipped\n"
                FileHandle.standardError.write(Data(warning.utf8))
            }
            if progress, lineNumber % 10_000 == 0 {
                let status = "\r\(lineNumber) documents, \(engine.clusterCount) clusters"
                FileHandle.standardError.write(Data(status.utf8))
            }
        }
        if progress {
            let status = "\r\(lineNumber) documents, \(engine.clusterCount) clusters\n"
            FileHandle.standardError.write(Data(status.utf8))
        }
        let json = try JSONSerialization.data(withJSONObject: engine.clusters(), options: [])
        if let output {
            do {
                try json.write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw DedupFailure("cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(json)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}

/// A failure of `sift dedup`, reported as one line on standard error.
struct DedupFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// One input line of `sift dedup`.
struct DedupDocument: Decodable {
    var id: String
    var text: String
    var title: String?
}

/// The batch near-duplicate engine behind `sift dedup`.
final class DedupEngine {
    private let fingerprinter: Fingerprinter
    private let index: ClusterIndex
    private let boilerplate = BoilerplateFilter()
    private var clusterOrder: [String] = []
    private var members: [String: [String]] = [:]

    init(clustering: ClusteringParameters, fingerprint: FingerprintParameters = FingerprintParameters()) throws {
        fingerprinter = try Fingerprinter(parameters: fingerprint)
        index = try ClusterIndex(parameters: clustering, signatureParameters: fingerprinter.signatureParameters)
    }

    var clusterCount: Int { clusterOrder.count }

    /// Clusters one document; returns `false` (and ignores it) when its id was already seen.
    func add(_ document: DedupDocument) -> Bool {
        guard !index.contains(documentID: document.id) else { return false }
        var paragraphs = document.text.split(whereSeparator: \.isNewline).map(String.init)
        if paragraphs.isEmpty, let title = document.title { paragraphs = [title] }
        var kept = boilerplate.filter(paragraphs)
        if kept.isEmpty { kept = paragraphs }
        let signatures = fingerprinter.signatures(ofParagraphs: kept)
        let clusterID: String
        do {
            clusterID = try index.assign(
                documentID: document.id,
                signature: signatures.document,
                lead: signatures.lead
            ).clusterID
        } catch {
            return false
        }
        if members[clusterID] == nil { clusterOrder.append(clusterID) }
        members[clusterID, default: []].append(document.id)
        boilerplate.learn(paragraphs, group: clusterID)
        return true
    }

    /// The clusters in order of their founders' arrival, members in arrival order.
    func clusters() -> [[String]] {
        clusterOrder.map { members[$0] ?? [] }
    }
}

/// Reads a file line by line in large chunks, without holding the whole file.
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()
    private var start = 0
    private var atEnd = false

    init?(path: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        self.handle = handle
    }

    deinit { try? handle.close() }

    func nextLine() -> Data? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                return Data(line)
            }
            if atEnd {
                guard start < buffer.endIndex else { return nil }
                let line = buffer[start...]
                start = buffer.endIndex
                return Data(line)
            }
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { atEnd = true }
            buffer = Data(buffer[start...]) + chunk
            start = buffer.startIndex
        }
    }
}
