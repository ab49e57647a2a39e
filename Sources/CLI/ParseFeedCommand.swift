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
            Prints one JSON object: well_formed, format (rss090, rss091, rss092, rss094, rss2, rss1, \
            atom03, atom10, json or unknown), feed {title, link} and entries [{id, title, link, published, \
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
        var out = "{\"well_formed\": \(feed.wellFormed), \"format\": \(quote(feed.format.rawValue)), \"feed\": {"
        var feedFields: [String] = []
        if let title = feed.title { feedFields.append("\"title\": \(quote(title))") }
        if let link = feed.link { feedFields.append("\"link\": \(quote(link))") }
        out += feedFields.joined(separator: ", ") + "}, \"entries\": ["
        var first = true
        for entry in feed.entries {
            out += first ? "\n  {" : ",\n  {"
            first = false
            var fields = ["\"id\": \(quote(entry.id))"]
            if let title = entry.title { fields.append("\"title\": \(quote(title))") }
            if let link = entry.link { fields.append("\"link\": \(quote(link))") }
            if let published = entry.published { fields.append("\"published\": \(quote(utc(published)))") }
            if let updated = entry.updated { fields.append("\"updated\": \(quote(utc(updated)))") }
            if let author = entry.author { fields.append("\"author\": \(quote(author))") }
            if let summary = entry.summary { fields.append("\"summary\": \(quote(summary))") }
            if let content = entry.content { fields.append("\"content\": \(quote(content))") }
            out += fields.joined(separator: ", ") + "}"
        }
        out += first ? "]}" : "\n]}"
        return out
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC.
    static func utc(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        var days = total / 86_400
        var seconds = total % 86_400
        if seconds < 0 {
            seconds += 86_400
            days -= 1
        }
        // H. Hinnant's civil_from_days.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(seconds / 3_600, 2)):"
            + "\(pad(seconds % 3_600 / 60, 2)):\(pad(seconds % 60, 2))Z"
    }
}
