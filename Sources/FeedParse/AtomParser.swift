import FoundationEssentials
import Markup
import Model

/// Atom 1.0 (RFC 4287) and Atom 0.3: `<feed>…<entry>…`, mapped to ``EntryDraft`` once.
enum AtomParser {
    static func parse(root: Node, base: String?) -> FeedDraft {
        var draft = FeedDraft()
        var feedAuthor: String?
        var alternates: [Node] = []
        for node in root.children where node.isElement {
            switch localKey(node) {
            case "title": draft.title = draft.title ?? textConstruct(node, base: base, html: true)
            case "link": alternates.append(node)
            case "author": feedAuthor = feedAuthor ?? personName(node)
            case "entry": draft.entries.append(entry(from: node, base: base))
            default: break
            }
        }
        draft.link = alternateLink(alternates, base: base)
        if let feedAuthor {
            for index in draft.entries.indices where draft.entries[index].author == nil {
                draft.entries[index].author = feedAuthor
            }
        }
        return draft
    }

    /// The element's key with the Atom prefix removed: Atom parsers also accept elements that
    /// lost their namespace in a broken feed.
    private static func localKey(_ node: Node) -> String {
        let key = node.feedKey
        return key.hasPrefix("atom:") ? String(key.dropFirst(5)) : key
    }

    static func entry(from element: Node, base: String?) -> EntryDraft {
        var entry = EntryDraft()
        var links: [Node] = []
        var sourceAuthor: String?
        for node in element.children where node.isElement {
            switch localKey(node) {
            case "id": entry.id = entry.id ?? node.trimmedText.map { identifier($0, at: node, base: base) }
            case "title": entry.title = entry.title ?? textConstruct(node, base: base, html: true)
            case "link": links.append(node)
            // A later date element overrides an earlier one, as in feedparser.
            case "published", "issued", "created", "dcterms:issued", "dcterms:created":
                if let date = node.trimmedText.flatMap(FeedDateParser.parse) { entry.published = date }
            case "updated", "modified", "dcterms:modified":
                if let date = node.trimmedText.flatMap(FeedDateParser.parse) { entry.updated = date }
            case "dc:date":
                if entry.published == nil { entry.published = node.trimmedText.flatMap(FeedDateParser.parse) }
            case "author": entry.author = entry.author ?? personName(node)
            case "dc:creator":
                if entry.author == nil { entry.author = node.trimmedText.flatMap(FeedFields.personName) }
            case "summary": entry.summary = entry.summary ?? textConstruct(node, base: base, html: true)
            case "content":
                if entry.content == nil, node.attribute("src") == nil {
                    entry.content = textConstruct(node, base: base, html: true)
                }
            case "content:encoded":
                if entry.content == nil, let text = node.trimmedText {
                    entry.content = HTMLSanitizer.sanitize(text, base: node.feedBase(base))
                }
            case "source":
                sourceAuthor = (node.child("atom:author") ?? node.child("author")).flatMap(personName)
            default: break
            }
        }
        entry.author = entry.author ?? sourceAuthor
        entry.link = alternateLink(links, base: base)
        return entry
    }

    /// An entry id: an IRI (RFC 4287, 4.2.6), so one without a scheme is a relative reference,
    /// resolved against `xml:base` and the document URL like any other. Text that cannot be a
    /// reference (it holds whitespace) is kept as it is.
    static func identifier(_ text: String, at node: Node, base: String?) -> String {
        if URLResolver.hasScheme(text) || text.contains(where: \.isWhitespace) { return text }
        guard node.feedBase(base) != nil else { return text }
        return FeedFields.resolvedLink(text, at: node, base: base) ?? text
    }

    /// The alternate link: `rel="alternate"` (or no rel), preferring an HTML type; enclosures,
    /// `self`, `related` and others are not the article.
    static func alternateLink(_ links: [Node], base: String?) -> String? {
        var best: (node: Node, score: Int)?
        for link in links {
            let rel = link.attribute("rel")?.trimmedFeedText().lowercased() ?? "alternate"
            guard rel == "alternate" || rel.isEmpty || rel == "http://www.iana.org/assignments/relation/alternate",
                let href = link.attribute("href"), !href.trimmedFeedText().isEmpty
            else { continue }
            let type = link.attribute("type")?.lowercased() ?? ""
            let score = type.isEmpty || type.contains("html") ? 2 : 1
            if best == nil || score > (best?.score ?? 0) { best = (link, score) }
        }
        guard let best, let href = best.node.attribute("href") else { return nil }
        return FeedFields.resolvedLink(href, at: best.node, base: base)
    }

    private static func personName(_ node: Node) -> String? {
        if let name = (node.child("atom:name") ?? node.child("name"))?.trimmedText {
            return HTMLSanitizer.plainText(name)
        }
        if let email = (node.child("atom:email") ?? node.child("email"))?.trimmedText { return email }
        // Atom 0.3 feeds in the wild sometimes put the name directly in <author>.
        if node.elementChildren.isEmpty, let text = node.trimmedText { return FeedFields.personName(text) }
        return nil
    }

    /// An Atom text construct (`type="text|html|xhtml"`, or Atom 0.3 MIME types and `mode`):
    /// plain text when `html` is false, sanitized HTML for HTML and XHTML when it is true.
    static func textConstruct(_ node: Node, base: String?, html: Bool) -> String? {
        let type = node.attribute("type")?.trimmedFeedText().lowercased() ?? "text"
        let mode = node.attribute("mode")?.trimmedFeedText().lowercased()
        let nodeBase = node.feedBase(base)
        if type.contains("xhtml") {
            let elements = node.elementChildren
            // Atom 1.0 wraps XHTML in a <div> that is not part of the content; in Atom 0.3
            // (`application/xhtml+xml`, `mode="xml"`) every child is content.
            let wrapped =
                node.namespaceURI != FeedNamespace.atom03 && elements.count == 1 && elements[0].hasName("div")
            let container = wrapped ? elements[0] : node
            let markup = container.serializedInnerHTML()
            return html ? HTMLSanitizer.sanitize(markup, base: nodeBase) : HTMLSanitizer.plainText(markup)
        }
        // Atom 1.0: a media type that is neither text nor XML is base64 (RFC 4287, 4.1.3.3).
        let base64Type =
            node.namespaceURI == FeedNamespace.atom10 && type.contains("/") && !type.hasPrefix("text/")
            && !type.hasSuffix("+xml") && !type.hasSuffix("/xml")
        if mode == "base64" || base64Type {
            // The content is base64 of the declared type; only text is kept.
            let encoded = node.text.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: encoded) else { return nil }
            let decoded = String(decoding: data, as: UTF8.self)
            if decoded.unicodeScalars.contains("\u{FFFD}") { return nil }
            if type.contains("html") || (base64Type && HTMLSanitizer.looksLikeHTML(decoded)) {
                return html ? HTMLSanitizer.sanitize(decoded, base: nodeBase) : HTMLSanitizer.plainText(decoded)
            }
            let text = decoded.trimmedFeedText()
            return text.isEmpty ? nil : (html ? text : text.collapsingWhitespace())
        }
        if type == "html" || type.hasSuffix("/html") || (mode == "escaped" && type != "text/plain") {
            guard let raw = node.trimmedText else { return nil }
            return html ? HTMLSanitizer.sanitize(raw, base: nodeBase) : HTMLSanitizer.plainText(raw)
        }
        if !node.elementChildren.isEmpty {
            // Markup where text was promised: treat it as XHTML rather than lose it.
            let markup = node.serializedInnerHTML()
            return html ? HTMLSanitizer.sanitize(markup, base: nodeBase) : HTMLSanitizer.plainText(markup)
        }
        guard let raw = node.trimmedText else { return nil }
        return html ? raw : raw.collapsingWhitespace()
    }
}
