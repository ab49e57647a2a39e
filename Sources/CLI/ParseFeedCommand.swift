import ArgumentParser
import FeedParse
import Foundation
import Model

/// `sift parse-feed`: parses one feed document and prints it as one JSON object.
///
/// A document that is not a feed at all (an HTML page, an unknown XML vocabulary, garbage)
/// prints `"format": "unknown"` with `well_formed` telling whether it was well-formed XML or
/// valid JSON, and no entries; it is not an error. Errors (unreadable file, oversized or
/// hostile document) print one line on stderr and exit with status 1.
struct ParseFeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-feed",
        abstract: "Parse one feed (RSS, RDF, Atom, JSON Feed) and print it as JSON.",
        discussion: """
            Prints one JSON object: well_formed, format (rss090, rss091, rss092, rss093, rss094, rss2, rss1, \
            atom03, atom10, json, cdf or unknown), feed {title, link} and entries [{id, title, link, published, \
            updated, author, summary, content}]. Absent fields are omitted; dates are UTC \
            (yyyy-MM-ddTHH:mm:ssZ). A document that is not a feed prints format "unknown" and no entries.
            """
    )

    @Option(name: .customLong("base-url"), help: "The URL the document was fetched from (resolves relative links).")
    var baseURL: String?

    @Option(name: .customLong("content-type"), help: "The HTTP Content-Type it was served with (its charset counts).")
    var contentType: String?

    @Argument(help: "The feed file, or - for standard input.")
    var file: String

    func run() throws {
        let bytes: [UInt8]
        if file == "-" {
            bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                Self.fail("cannot read \(file)")
            }
            bytes = [UInt8](data)
        }
        let feed: ParsedFeed
        do {
            feed = try FeedParser(maxBytes: 64 << 20).parse(bytes, contentType: contentType, baseURL: baseURL)
        } catch {
            Self.fail(error.description)
        }
        var output = FeedJSONWriter.render(feed)
        output.append("\n")
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("sift parse-feed: \(message)\n".utf8))
        Foundation.exit(1)
    }
}

/// Renders a ``ParsedFeed`` in the `parse-feed` JSON shape, keys in contract order.
enum FeedJSONWriter {
    static func render(_ feed: ParsedFeed) -> String {
        var out =
            "{\"well_formed\": \(feed.wellFormed), \"format\": \(JSONText.quote(feed.format.rawValue)), \"feed\": {"
        var feedFields: [String] = []
        if let title = feed.title { feedFields.append("\"title\": \(JSONText.quote(title))") }
        if let link = feed.link { feedFields.append("\"link\": \(JSONText.quote(link))") }
        out += feedFields.joined(separator: ", ") + "}, \"entries\": ["
        var first = true
        for entry in feed.entries {
            out += first ? "\n  {" : ",\n  {"
            first = false
            var fields = ["\"id\": \(JSONText.quote(entry.id))"]
            if let title = entry.title { fields.append("\"title\": \(JSONText.quote(title))") }
            if let link = entry.link { fields.append("\"link\": \(JSONText.quote(link))") }
            if let published = entry.published {
                fields.append("\"published\": \(JSONText.quote(JSONText.utc(published)))")
            }
            if let updated = entry.updated { fields.append("\"updated\": \(JSONText.quote(JSONText.utc(updated)))") }
            if let author = entry.author { fields.append("\"author\": \(JSONText.quote(author))") }
            if let summary = entry.summary { fields.append("\"summary\": \(JSONText.quote(summary))") }
            if let content = entry.content { fields.append("\"content\": \(JSONText.quote(content))") }
            out += fields.joined(separator: ", ") + "}"
        }
        out += first ? "]}" : "\n]}"
        return out
    }

}
