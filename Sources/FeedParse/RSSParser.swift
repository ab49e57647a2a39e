import FoundationEssentials
import Markup
import Model

/// RSS 0.91–2.0: `<rss><channel>…<item>…`, mapped to ``EntryDraft`` once, in ``entry(from:base:)``
/// (which RDF shares, RSS 1.0 items having the same element names).
enum RSSParser {
    static func parse(root: Node, base: String?) -> FeedDraft {
        var draft = FeedDraft()
        let channel = root.feedKey == "channel" ? root : (root.child("channel") ?? root)
        var ttlMinutes: String?
        var period: String?
        var frequency: String?
        for node in channel.children where node.isElement {
            switch rssKey(node) {
            case "title", "dc:title":
                draft.title = draft.title ?? node.trimmedText.flatMap(HTMLSanitizer.titleGuessingMarkup)
            case "link":
                if draft.link == nil, let text = node.trimmedText {
                    draft.link = FeedFields.resolvedLink(text, at: node, base: base)
                }
            case "atom:link":
                if draft.link == nil, isAlternate(node), let href = node.attribute("href") {
                    draft.link = FeedFields.resolvedLink(href, at: node, base: base)
                }
            case "ttl": ttlMinutes = node.trimmedText
            case "sy:updatePeriod": period = node.trimmedText
            case "sy:updateFrequency": frequency = node.trimmedText
            case "item": draft.entries.append(entry(from: node, base: base))
            default: break
            }
        }
        if !channel.isSame(as: root) {
            // Some 0.9x feeds put items beside the channel instead of inside it.
            for node in root.children where node.isElement && node.feedKey == "item" {
                draft.entries.append(entry(from: node, base: base))
            }
        }
        draft.ttlSeconds = FeedFields.ttl(ttlMinutes: ttlMinutes, period: period, frequency: frequency)
        return draft
    }

    /// RSS's own element names, by their lower-cased spelling.
    private static let coreNames: [String: String] = Dictionary(
        uniqueKeysWithValues: [
            "title", "link", "description", "item", "guid", "author", "pubDate", "lastBuildDate", "ttl", "category",
            "comments", "enclosure", "source",
        ].map { ($0.lowercased(), $0) })

    /// The element's feed key, with RSS's own elements matched whatever their case when a feed
    /// capitalizes them (`<Title>`, `<PUBDATE>`), as podcast clients read them. Namespaced
    /// elements keep their case.
    static func rssKey(_ node: Node) -> String {
        let key = node.feedKey
        guard let first = key.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z"),
            node.namespaceURI == nil, let core = coreNames[key.lowercased()]
        else { return key }
        return core
    }

    static func isAlternate(_ link: Node) -> Bool {
        let rel = link.attribute("rel")?.trimmedFeedText().lowercased() ?? "alternate"
        return rel == "alternate" || rel.isEmpty
    }

    /// Maps one RSS (or RSS 1.0) item.
    static func entry(from item: Node, base: String?) -> EntryDraft {
        var entry = EntryDraft()
        var guidIsLink = false
        var guid: String?
        var dcDate: Date?
        var mediaTitle: String?
        for node in item.children where node.isElement {
            switch rssKey(node) {
            case "title", "dc:title":
                if entry.title == nil { entry.title = node.trimmedText.flatMap(HTMLSanitizer.titleGuessingMarkup) }
            case "link":
                // Some feeds write <link href="…"/> in RSS.
                if entry.link == nil, let text = node.trimmedText ?? node.attribute("href") {
                    entry.link = FeedFields.resolvedLink(text, at: node, base: base)
                }
            case "atom:link":
                if entry.fallbackLink == nil, isAlternate(node), let href = node.attribute("href") {
                    entry.fallbackLink = FeedFields.resolvedLink(href, at: node, base: base)
                }
            case "guid":
                if guid == nil, let text = node.trimmedText {
                    guid = text
                    let permaLink = node.attribute("isPermaLink")?.trimmedFeedText().lowercased() ?? "true"
                    guidIsLink =
                        permaLink != "false"
                        && (text.lowercased().hasPrefix("http://") || text.lowercased().hasPrefix("https://"))
                }
            case "atom:id":
                if guid == nil { guid = node.trimmedText }
            case "description", "dc:description", "atom:summary", "itunes:summary":
                if entry.summary == nil, let text = FeedFields.markupSource(of: node) {
                    entry.summary = HTMLSanitizer.sanitize(text, base: node.feedBase(base))
                }
            case "content:encoded":
                if entry.content == nil, let text = FeedFields.markupSource(of: node) {
                    entry.content = HTMLSanitizer.sanitize(text, base: node.feedBase(base))
                }
            case "media:title":
                if mediaTitle == nil { mediaTitle = node.trimmedText.flatMap(HTMLSanitizer.titleGuessingMarkup) }
            case "fullitem":
                // Netscape/CDF-era full item text, escaped HTML like content:encoded.
                if entry.content == nil, let text = FeedFields.markupSource(of: node) {
                    entry.content = HTMLSanitizer.sanitize(text, base: node.feedBase(base))
                }
            case "xhtml:body", "xhtml:div", "body":
                if entry.content == nil {
                    entry.content = HTMLSanitizer.sanitize(node.serializedInnerHTML(), base: node.feedBase(base))
                }
            case "pubDate", "atom:published", "dcterms:issued", "dcterms:created":
                if entry.published == nil { entry.published = node.trimmedText.flatMap(FeedDateParser.parse) }
            case "dc:date":
                if dcDate == nil { dcDate = node.trimmedText.flatMap(FeedDateParser.parse) }
            case "atom:updated", "dcterms:modified", "lastBuildDate":
                if entry.updated == nil { entry.updated = node.trimmedText.flatMap(FeedDateParser.parse) }
            case "dc:creator", "author", "itunes:author", "dc:author", "dc:contributor":
                if entry.author == nil { entry.author = node.trimmedText.flatMap(FeedFields.personName) }
            case "atom:author":
                if entry.author == nil {
                    entry.author = (node.child("atom:name") ?? node.child("name"))?.trimmedText
                        .flatMap(HTMLSanitizer.plainText)
                }
            default:
                break
            }
        }
        if entry.published == nil {
            // dc:date is the item's one date: when it was published and last changed.
            entry.published = dcDate
            if entry.updated == nil { entry.updated = dcDate }
        } else if entry.updated == nil, let dcDate, dcDate != entry.published {
            entry.updated = dcDate
        }
        // RSS 1.0 identifies items by rdf:about.
        entry.id = guid ?? item.attribute("about", namespaceURI: FeedNamespace.rdf)?.trimmedFeedText()
        if entry.id?.isEmpty == true { entry.id = nil }
        if entry.title == nil { entry.title = mediaTitle }
        if entry.link == nil && entry.fallbackLink == nil && guidIsLink, let guid {
            entry.fallbackLink = guid
        }
        return entry
    }
}

/// RSS 1.0 and RSS 0.90: `<rdf:RDF>` with `channel` and `item` siblings.
enum RDFParser {
    static func parse(root: Node, base: String?) -> FeedDraft {
        var draft = FeedDraft()
        var ttlMinutes: String?
        var period: String?
        var frequency: String?
        func readChannel(_ channel: Node) {
            for node in channel.children where node.isElement {
                switch node.feedKey {
                case "title":
                    draft.title = draft.title ?? node.trimmedText.flatMap(HTMLSanitizer.titleGuessingMarkup)
                case "link":
                    if draft.link == nil, let text = node.trimmedText {
                        draft.link = FeedFields.resolvedLink(text, at: node, base: base)
                    }
                case "ttl": ttlMinutes = node.trimmedText
                case "sy:updatePeriod": period = node.trimmedText
                case "sy:updateFrequency": frequency = node.trimmedText
                case "item": draft.entries.append(RSSParser.entry(from: node, base: base))
                default: break
                }
            }
        }
        for node in root.children where node.isElement {
            switch node.feedKey {
            case "channel": readChannel(node)
            case "item": draft.entries.append(RSSParser.entry(from: node, base: base))
            default: break
            }
        }
        draft.ttlSeconds = FeedFields.ttl(ttlMinutes: ttlMinutes, period: period, frequency: frequency)
        return draft
    }
}
