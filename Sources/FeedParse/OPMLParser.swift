import Markup
public import Model

/// Reads the feeds of an OPML subscription list (`<outline xmlUrl=…>`, nested or not).
public enum OPMLParser {
    /// The feeds listed in an OPML document, in document order, without duplicates.
    ///
    /// Only `http` and `https` URLs are kept; the outline's `title` (else `text`) becomes the
    /// feed's title.
    ///
    /// - Parameter bytes: The OPML document.
    /// - Returns: The feeds.
    /// - Throws: ``FeedParseError/malformed(_:)`` when the document is not OPML at all,
    ///   ``FeedParseError/hostile(_:)`` for entity bombs.
    public static func feeds(in bytes: [UInt8]) throws(FeedParseError) -> [FeedSource] {
        let tree: XMLTree
        do {
            tree = try XMLTree(bytes: bytes, maxBytes: 10 << 20, recover: true)
        } catch {
            if case .entityExpansion(let reason) = error { throw .hostile(reason) }
            throw .malformed(error.description)
        }
        guard let root = tree.root, root.name.lowercased() == "opml" else {
            throw .malformed("root element is not <opml>")
        }
        var seen: Set<String> = []
        var feeds: [FeedSource] = []
        for node in root.descendants where node.isElement && node.name.lowercased() == "outline" {
            guard let url = xmlURL(of: node), FeedListParser.isFeedURL(url), seen.insert(url).inserted else {
                continue
            }
            let title = (node.attribute("title") ?? node.attribute("text"))?.trimmedFeedText()
            feeds.append(FeedSource(url: url, title: title?.isEmpty == false ? title : nil))
        }
        return feeds
    }

    private static func xmlURL(of outline: Node) -> String? {
        for (name, value) in outline.attributes where name.lowercased() == "xmlurl" {
            let url = value.trimmedFeedText()
            return url.isEmpty ? nil : url
        }
        return nil
    }
}

/// Reads plain feed lists: one URL a line, `#` starts a comment, blank lines ignored.
public enum FeedListParser {
    /// The feeds of a plain list, in order, without duplicates; lines that are not `http(s)`
    /// URLs are skipped.
    ///
    /// A line is a URL, optionally followed by the feed's own settings as `key=value` words:
    /// `interval_seconds`, `total_timeout_seconds`, `max_bytes`, `max_redirects` (numbers) and
    /// `title` (the outlet's name, `_` for spaces). `#` starts a comment. Unknown keys and values
    /// that are not numbers are ignored.
    ///
    ///     https://slow.example/atom.xml interval_seconds=3600 max_bytes=20000000 title=Slow_Example
    ///
    /// - Parameter text: The list.
    /// - Returns: The feeds.
    public static func feeds(in text: String) -> [FeedSource] {
        var seen: Set<String> = []
        var feeds: [FeedSource] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let url = words.first.map(String.init), isFeedURL(url), seen.insert(url).inserted
            else { continue }
            var feed = FeedSource(url: url)
            for word in words.dropFirst() {
                let pair = word.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let value = String(pair[1])
                switch pair[0] {
                case "interval_seconds": feed.intervalSeconds = Int(value)
                case "total_timeout_seconds": feed.totalTimeoutSeconds = Double(value)
                case "max_bytes": feed.maxBytes = Int(value)
                case "max_redirects": feed.maxRedirects = Int(value)
                case "title": feed.title = String(value.map { $0 == "_" ? " " : $0 })
                default: continue
                }
            }
            feeds.append(feed)
        }
        return feeds
    }

    /// The feeds of either an OPML document or a plain list, sniffed from the content.
    ///
    /// - Parameter bytes: The file's bytes.
    /// - Returns: The feeds.
    /// - Throws: ``FeedParseError`` when an OPML document cannot be read.
    public static func feeds(inFile bytes: [UInt8]) throws(FeedParseError) -> [FeedSource] {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "<") {
            return try OPMLParser.feeds(in: bytes)
        }
        return feeds(in: String(decoding: bytes[index...], as: UTF8.self))
    }

    /// Whether `url` is an absolute http(s) URL with a host.
    static func isFeedURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            return lower.count > scheme.count
        }
        return false
    }
}
