import FoundationEssentials
import Markup
import Model

/// Namespace URIs mapped to the prefixes the parsers match on. RSS 1.0 and 0.90 elements map
/// to no prefix, so the RSS and RDF parsers share their element names.
enum FeedNamespace {
    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let xhtml = "http://www.w3.org/1999/xhtml"

    static let prefixes: [String: String] = [
        atom10: "atom",
        atom03: "atom",
        // Namespaces of Atom's pre-0.3 drafts ("Echo", "Pie"), still found in old feeds.
        "http://purl.org/echo/": "atom",
        "http://purl.org/pie/": "atom",
        "http://example.com/necho": "atom",
        "http://example.com/newformat#": "atom",
        "uri/of/echo/namespace#": "atom",
        "http://purl.org/rss/1.0/": "",
        rss090: "",
        "http://channel.netscape.com/rdf/simple/0.9/": "",
        "http://backend.userland.com/rss2": "",
        "http://backend.userland.com/rss": "",
        "http://blogs.law.harvard.edu/tech/rss": "",
        rdf: "rdf",
        "http://purl.org/rss/1.0/modules/content/": "content",
        "http://purl.org/dc/elements/1.1/": "dc",
        "http://purl.org/dc/terms/": "dcterms",
        "http://purl.org/rss/1.0/modules/syndication/": "sy",
        xhtml: "xhtml",
        "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
        "http://www.itunes.com/DTDs/Podcast-1.0.dtd": "itunes",
        "http://example.com/DTDs/PodCast-1.0.dtd": "itunes",
        "http://search.yahoo.com/mrss/": "media",
    ]
}

extension Node {
    /// The element's name as the parsers match it: `prefix:local` with the conventional prefix
    /// of its namespace (`dc:creator`, `atom:link`), the bare local name for RSS elements, and
    /// `{uri}local` for namespaces nobody reads. An undeclared prefix (kept in the name by the
    /// recovery parse) is taken at face value.
    var feedKey: String {
        let local = name
        if let uri = namespaceURI {
            guard let prefix = FeedNamespace.prefixes[uri] else { return "{" + uri + "}" + local }
            return prefix.isEmpty ? local : prefix + ":" + local
        }
        if local.contains(":") { return local.lowercased() }
        return local
    }

    /// The element's text, trimmed; `nil` when empty.
    var trimmedText: String? {
        let text = self.text.trimmedFeedText()
        return text.isEmpty ? nil : text
    }

    /// The base URL in effect at this element (its `xml:base` chain resolved against the
    /// document URL). Where that chain gives a base that would run code
    /// (`xml:base="javascript:…"`), the nearest ancestor's safe base is used instead, then the
    /// document URL: relative links never inherit such a scheme.
    func feedBase(_ document: String?) -> String? {
        var current: Node? = self
        while let node = current, node.isElement {
            guard let base = node.baseURL else { break }
            if !HTMLSanitizer.isDangerousURL(base) { return base }
            current = node.parent
        }
        return document.flatMap { HTMLSanitizer.isDangerousURL($0) ? nil : $0 }
    }

    /// The first child element with this feed key.
    func child(_ key: String) -> Node? {
        children.first { $0.isElement && $0.feedKey == key }
    }
}

/// The fields of one entry as a format parser finds them, before identity is settled.
struct EntryDraft {
    var id: String?
    var title: String?
    var link: String?
    var fallbackLink: String?
    var published: Date?
    var updated: Date?
    var author: String?
    var summary: String?
    var content: String?
}

/// What every format parser returns.
struct FeedDraft {
    var title: String?
    var link: String?
    var ttlSeconds: Int?
    var entries: [EntryDraft] = []
}

/// Shared helpers for the format parsers.
enum FeedFields {
    /// A person's name from an RSS `author` / `managingEditor` value: "email (Name)" → Name,
    /// "Name (email)" → Name, "Name <email>" → Name, otherwise the value.
    static func personName(_ raw: String) -> String? {
        guard var text = HTMLSanitizer.plainTextGuessingMarkup(raw) else { return nil }
        if let open = text.firstIndex(of: "("), text.last == ")" {
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)].trimmedFeedText()
            let outer = text[..<open].trimmedFeedText()
            // RSS 2.0 writes "email (Name)"; some feeds turn it round to "Name (email)".
            if !outer.isEmpty, inner.contains("@"), !outer.contains("@") { return outer }
            if !inner.isEmpty { return inner }
        }
        if let open = text.firstIndex(of: "<"), text.last == ">", open != text.startIndex {
            text = text[..<open].trimmedFeedText()
            if text.hasPrefix("\"") && text.hasSuffix("\"") && text.count > 1 {
                text = String(text.dropFirst().dropLast())
            }
        }
        return text.isEmpty ? nil : text
    }

    /// Seconds between polls from RSS `ttl` (minutes) or `sy:updatePeriod` / `sy:updateFrequency`.
    static func ttl(ttlMinutes: String?, period: String?, frequency: String?) -> Int? {
        if let ttlMinutes, let minutes = Int(ttlMinutes.trimmedFeedText()), minutes > 0 {
            return minutes * 60
        }
        guard let period else { return nil }
        let seconds: Int
        switch period.trimmedFeedText().lowercased() {
        case "hourly": seconds = 3_600
        case "daily": seconds = 86_400
        case "weekly": seconds = 604_800
        case "monthly": seconds = 2_592_000
        case "yearly": seconds = 31_536_000
        default: return nil
        }
        let times = frequency.flatMap { Int($0.trimmedFeedText()) } ?? 1
        guard times > 0 else { return seconds }
        return seconds / times
    }

    /// Turns drafts into entries: identity (id, else link, else a stable hash of title and
    /// content), duplicate ids made unique with `#2`, `#3`… in document order.
    static func finish(_ drafts: [EntryDraft]) -> [FeedEntry] {
        var seen: [String: Int] = [:]
        var entries: [FeedEntry] = []
        entries.reserveCapacity(drafts.count)
        for draft in drafts {
            let link = draft.link ?? draft.fallbackLink
            if draft.title == nil && link == nil && draft.summary == nil && draft.content == nil && draft.id == nil
                && draft.author == nil && draft.published == nil && draft.updated == nil
            {
                continue
            }
            var id = draft.id ?? link ?? ""
            if id.isEmpty {
                id = "hash:" + stableHash([draft.title ?? "", draft.content ?? draft.summary ?? ""])
            }
            if let count = seen[id] {
                seen[id] = count + 1
                var candidate = id + "#\(count + 1)"
                var suffix = count + 1
                while seen[candidate] != nil {
                    suffix += 1
                    candidate = id + "#\(suffix)"
                }
                seen[candidate] = 1
                id = candidate
            } else {
                seen[id] = 1
            }
            entries.append(
                FeedEntry(
                    id: id,
                    title: draft.title,
                    link: link,
                    published: draft.published,
                    updated: draft.updated,
                    author: draft.author,
                    summary: draft.summary,
                    content: draft.content
                )
            )
        }
        return entries
    }

    /// FNV-1a 64 of the parts joined by U+001F, as 16 hex digits: stable across runs and
    /// machines (unlike `Hasher`).
    static func stableHash(_ parts: [String]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 {
                hash ^= 0x1F
                hash &*= 0x0000_0100_0000_01B3
            }
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The HTML held by an RSS element: its text (escaped or CDATA HTML, the norm), or its
    /// children serialized when a feed put raw XHTML elements inside it.
    static func markupSource(of node: Node) -> String? {
        if node.children.contains(where: { $0.isElement }) {
            let markup = node.serializedInnerHTML().trimmedFeedText()
            return markup.isEmpty ? nil : markup
        }
        return node.trimmedText
    }

    /// Link URL of an element (its text), resolved against its `xml:base` and the document URL;
    /// `nil` for a link that would run code (`javascript:` and the like).
    static func resolvedLink(_ value: String, at node: Node, base: String?) -> String? {
        let trimmed = value.trimmedFeedText()
        let link = URLResolver.hasScheme(trimmed) ? trimmed : URLResolver.resolve(trimmed, against: node.feedBase(base))
        return HTMLSanitizer.isDangerousURL(link) ? nil : link
    }
}
