import FoundationEssentials
import Markup
import Model

/// Microsoft's Channel Definition Format: a `<CHANNEL HREF="…" LASTMOD="…">` root with `TITLE`,
/// `ABSTRACT` and `<ITEM HREF="…" LASTMOD="…">` children, each item holding its own `TITLE` and
/// `ABSTRACT`. Element and attribute names are matched whatever their case (CDF files write
/// them in upper case); the items of nested channels are the feed's items too.
enum CDFParser {
    static func parse(root: Node, base: String?) -> FeedDraft {
        var draft = FeedDraft()
        if let href = attribute("href", of: root) {
            draft.link = FeedFields.resolvedLink(href, at: root, base: base)
        }
        for node in root.children where node.isElement && key(node) == "title" {
            draft.title = node.trimmedText.flatMap(HTMLSanitizer.titleGuessingMarkup)
            break
        }
        // Document order (depth first) without recursion: the children of a channel go on the
        // stack last first.
        var pending = root.elementChildren.reversed() as [Node]
        while let node = pending.popLast() {
            switch key(node) {
            case "item": draft.entries.append(entry(from: node, base: base))
            case "channel": pending.append(contentsOf: node.elementChildren.reversed())
            default: break
            }
        }
        return draft
    }

    /// Maps one `ITEM`: `HREF` is its link, `LASTMOD` when it last changed, `ABSTRACT` its
    /// summary. CDF has no identifier, so the link (else a hash) identifies the entry.
    static func entry(from item: Node, base: String?) -> EntryDraft {
        var entry = EntryDraft()
        if let href = attribute("href", of: item) {
            entry.link = FeedFields.resolvedLink(href, at: item, base: base)
        }
        if let lastModified = attribute("lastmod", of: item) {
            entry.updated = FeedDateParser.parse(lastModified)
        }
        for node in item.children where node.isElement {
            let name = key(node)
            if name == "title", entry.title == nil, let text = node.trimmedText {
                entry.title = HTMLSanitizer.titleGuessingMarkup(text)
            } else if name == "abstract", entry.summary == nil {
                entry.summary = summary(of: node, base: base)
            }
        }
        return entry
    }

    /// An `ABSTRACT`'s sanitized HTML, or `nil` when it is empty.
    ///
    /// A function of its own: inlined into ``entry(from:base:)``, it crashed the Swift 6.3.1
    /// optimizer (CopyPropagation) in release builds.
    @inline(never)
    private static func summary(of node: Node, base: String?) -> String? {
        guard let text = FeedFields.markupSource(of: node) else { return nil }
        return HTMLSanitizer.sanitize(text, base: node.feedBase(base))
    }

    /// The element's name in lower case when it is in no namespace, else its feed key.
    private static func key(_ node: Node) -> String {
        node.namespaceURI == nil ? node.name.lowercased() : node.feedKey
    }

    /// The trimmed value of the attribute with this lower-case local name, whatever its case;
    /// `nil` when absent or empty.
    private static func attribute(_ name: String, of node: Node) -> String? {
        guard let value = node.attributes.first(where: { $0.name.lowercased() == name })?.value.trimmedFeedText(),
            !value.isEmpty
        else { return nil }
        return value
    }
}
