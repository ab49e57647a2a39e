import ArgumentParser
import Extraction
import Foundation
import Model

#if canImport(Glibc)
    import Glibc
#endif

/// `sift extract`: boilerplate removal for one page or a directory of pages.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract the article body (and metadata) from HTML pages.",
        discussion: """
            One page: sift extract [--url URL] [--format text|json] FILE|-
            A directory: sift extract --input-dir DIR --output-dir DIR [--format text|json]
            Pages may be gzip-compressed (.gz). Text output is the body only, one paragraph a line.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    enum Parser: String, ExpressibleByArgument, CaseIterable {
        case libxml2, native

        var backend: HTMLParserBackend { self == .native ? .native : .libxml2 }
    }

    @Option(help: "The page's URL (resolves a relative canonical URL).")
    var url: String?

    @Option(help: "Output format: text (body only) or json (metadata and body).")
    var format: Format = .text

    @Option(name: .customLong("input-dir"), help: "Extract every *.html and *.html.gz file in this directory.")
    var inputDirectory: String?

    @Option(name: .customLong("output-dir"), help: "Where batch mode writes <name>.txt or <name>.json.")
    var outputDirectory: String?

    @Option(help: "The HTML parser: libxml2 (default) or native (the built-in tokenizer, faster).")
    var parser: Parser = .libxml2

    @Argument(help: "The HTML file to read, or - for standard input.")
    var file: String?

    private var extractor: Extractor { Extractor(options: ExtractionOptions(parser: parser.backend)) }

    func validate() throws {
        if inputDirectory != nil || outputDirectory != nil {
            guard inputDirectory != nil, outputDirectory != nil else {
                throw ValidationError("--input-dir and --output-dir go together")
            }
            guard file == nil else { throw ValidationError("give either FILE or --input-dir, not both") }
        } else if file == nil {
            throw ValidationError("missing FILE (or - for standard input)")
        }
    }

    func run() throws {
        if let inputDirectory, let outputDirectory {
            let failures = runBatch(input: inputDirectory, output: outputDirectory)
            if failures > 0 { throw ExitCode.failure }
            return
        }
        let path = file ?? "-"
        do {
            let bytes = try PageFile.read(path)
            let article = try extractor.extract(html: bytes, url: url)
            FileHandle.standardOutput.write(Data(render(article).utf8))
        } catch {
            PageFile.fail("sift extract: \(path): \(error)")
            throw ExitCode.failure
        }
    }

    private func render(_ article: ExtractedArticle) -> String {
        switch format {
        case .text:
            return article.paragraphs.isEmpty ? "" : article.text + "\n"
        case .json:
            return ArticleJSON(article).encoded() + "\n"
        }
    }

    /// Extracts every page of a directory in parallel; returns the number of pages that failed.
    private func runBatch(input: String, output: String) -> Int {
        let manager = FileManager.default
        let names: [String]
        do {
            try manager.createDirectory(atPath: output, withIntermediateDirectories: true)
            names = try manager.contentsOfDirectory(atPath: input)
                .filter { $0.hasSuffix(".html") || $0.hasSuffix(".html.gz") }
                .sorted()
        } catch {
            PageFile.fail("sift extract: \(input): \(error.localizedDescription)")
            return 1
        }
        let extractor = self.extractor
        let showProgress = isatty(2) != 0
        let failures = Counter()
        let done = Counter()
        let fileExtension = format == .json ? "json" : "txt"
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            let name = names[index]
            let stem = name.hasSuffix(".html.gz") ? String(name.dropLast(8)) : String(name.dropLast(5))
            let source = (input as NSString).appendingPathComponent(name)
            let target = (output as NSString).appendingPathComponent("\(stem).\(fileExtension)")
            do {
                let bytes = try PageFile.read(source)
                let rendered: String
                do {
                    rendered = render(try extractor.extract(html: bytes, url: url))
                } catch ExtractionError.noContent {
                    rendered = format == .json ? ArticleJSON(ExtractedArticle()).encoded() + "\n" : ""
                    PageFile.fail("sift extract: \(source): \(ExtractionError.noContent)")
                    failures.increment()
                }
                try Data(rendered.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
            } catch {
                PageFile.fail("sift extract: \(source): \(error)")
                failures.increment()
            }
            let finished = done.increment()
            if showProgress {
                PageFile.progress("\r\(finished)/\(names.count)")
            }
        }
        if showProgress { PageFile.progress("\n") }
        return failures.value
    }
}

/// A thread-safe counter for the batch workers.
private final class Counter: @unchecked Sendable {
    // Guarded by `lock`; the class is only shared between the batch's worker threads.
    private let lock = NSLock()
    private var count = 0

    @discardableResult
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}

/// Reading pages (plain or gzip) and writing one-line messages to stderr.
enum PageFile {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads a file (or standard input for `-`), decompressing gzip data.
    static func read(_ path: String) throws -> [UInt8] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ReadError(description: "cannot read file")
            }
            data = contents
        }
        let bytes = [UInt8](data)
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B { return try gunzip(bytes) }
        return bytes
    }

    /// Decompresses gzip data with `gzip -dc` (no zlib link needed).
    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ReadError(description: "cannot run gzip: \(error.localizedDescription)")
        }
        // Feed stdin from another thread so a large page cannot deadlock on full pipes.
        let writer = input.fileHandleForWriting
        let payload = Data(bytes)
        let feeder = Thread {
            writer.write(payload)
            try? writer.close()
        }
        feeder.start()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ReadError(description: "not valid gzip data") }
        return [UInt8](result)
    }

    static func fail(_ line: String) {
        FileHandle.standardError.write(Data((line.split(separator: "\n").joined(separator: " ") + "\n").utf8))
    }

    static func progress(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// The JSON shape of `sift extract --format json`, keys in the documented order; an absent field
/// is `null`.
struct ArticleJSON {
    var article: ExtractedArticle

    init(_ article: ExtractedArticle) {
        self.article = article
    }

    func encoded() -> String {
        var out = "{"
        out += "\"title\":" + Self.string(article.title)
        out += ",\"author\":" + Self.string(article.author)
        out += ",\"published\":" + Self.string(article.published.map(JSONText.utc))
        out += ",\"language\":" + Self.string(article.language)
        out += ",\"canonical_url\":" + Self.string(article.canonicalURL)
        out += ",\"text\":" + Self.string(article.text)
        out += ",\"paragraphs\":[" + article.paragraphs.map { Self.string($0) }.joined(separator: ",") + "]"
        return out + "}"
    }

    /// A JSON string literal (or `null`).
    static func string(_ value: String?) -> String {
        value.map(JSONText.quote) ?? "null"
    }
}
