import Markup

/// Cleans HTML from feeds: removes active content (script, style, frames, plugins, forms),
/// event handlers, inline styles and `javascript:` / `vbscript:` / `data:` URLs; resolves
/// relative URLs; and turns HTML into plain text where text is wanted (titles).
enum HTMLSanitizer {
    /// Elements removed together with their content.
    static let blockedElements: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "applet", "noscript", "noembed",
        "noframes", "param", "input", "button", "select", "textarea", "link", "meta", "base", "template",
        "title", "head", "svg", "math", "xml", "plaintext", "xmp", "portal", "dialog",
    ]

    /// Elements dropped but whose content is kept: `embed` is void in HTML, yet libxml2's HTML
    /// parser makes it swallow whatever follows; a form's text is still text.
    static let unwrappedElements: Set<String> = ["embed", "form", "blink", "marquee"]

    /// Attributes holding a URL.
    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "background", "cite", "longdesc", "poster", "lowsrc", "dynsrc",
        "data", "codebase", "usemap", "profile", "manifest", "ping", "srcset",
    ]

    /// Attributes dropped whatever their value.
    static let blockedAttributes: Set<String> = ["style", "srcdoc", "formaction", "autofocus"]

    /// Sanitized HTML for a feed's HTML construct, or `nil` when nothing is left.
    static func sanitize(_ html: String, base: String?) -> String? {
        let trimmed = html.trimmedFeedText()
        if trimmed.isEmpty { return nil }
        if !trimmed.utf8.contains(UInt8(ascii: "<")) && !trimmed.utf8.contains(UInt8(ascii: "&")) {
            return trimmed
        }
        guard let tree = try? HTMLTree(fragment: trimmed), let body = tree.body else { return nil }
        var cursor = body.firstChild
        while let node = cursor {
            if shouldRemove(node) {
                cursor = next(after: node, within: body, descend: false)
                node.remove()
                continue
            }
            if node.isElement && unwrappedElements.contains(node.name) {
                // libxml2 merges a moved text node into an adjacent one and frees it, so resume
                // from the nodes that stay put: the previous sibling, else the parent.
                let previous = node.previousSibling
                let parent = node.parent
                let following = next(after: node, within: body, descend: false)
                let hadChildren = node.firstChild != nil
                node.unwrap()
                if !hadChildren {
                    cursor = following
                } else if let previous {
                    cursor = previous.nextSibling ?? next(after: previous, within: body, descend: false)
                } else {
                    cursor = parent?.firstChild ?? following
                }
                continue
            }
            if node.isElement { cleanAttributes(of: node, base: base) }
            cursor = next(after: node, within: body, descend: true)
        }
        let result = body.serializedInnerHTML().trimmedFeedText()
        return result.isEmpty ? nil : result
    }

    /// Plain text for a construct that may contain markup or entities (titles, authors).
    static func plainText(_ html: String) -> String? {
        let text: String
        if html.utf8.contains(UInt8(ascii: "<")) || html.utf8.contains(UInt8(ascii: "&")) {
            guard let tree = try? HTMLTree(fragment: html), let body = tree.body else { return nil }
            var cursor = body.firstChild
            while let node = cursor {
                if node.kind == .comment || (node.isElement && blockedElements.contains(node.name)) {
                    cursor = next(after: node, within: body, descend: false)
                    node.remove()
                    continue
                }
                cursor = next(after: node, within: body, descend: true)
            }
            text = body.text
        } else {
            text = html
        }
        let collapsed = text.collapsingWhitespace()
        return collapsed.isEmpty ? nil : collapsed
    }

    /// Plain text for a construct whose type is not declared (RSS and JSON Feed titles):
    /// treated as HTML only when it looks like HTML (an end tag, `<br>`, `<img>`, `<hr>`, or a
    /// character reference), as feedparser does, so "Vector<T> in C++" keeps its `<T>`.
    static func plainTextGuessingMarkup(_ text: String) -> String? {
        if looksLikeHTML(text) { return plainText(text) }
        let collapsed = text.collapsingWhitespace()
        return collapsed.isEmpty ? nil : collapsed
    }

    static func looksLikeHTML(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let count = bytes.count
        var index = 0
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || (byte >= 0x30 && byte <= 0x39) }
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<"), index + 1 < count {
                if bytes[index + 1] == UInt8(ascii: "/"), index + 2 < count, isLetter(bytes[index + 2]) {
                    var end = index + 2
                    while end < count, isAlphanumeric(bytes[end]) { end += 1 }
                    if end < count, bytes[end] == UInt8(ascii: ">") { return true }
                }
                for name in ["br", "img", "hr"] where index + 1 + name.utf8.count <= count {
                    let word = bytes[(index + 1)..<(index + 1 + name.utf8.count)].map { $0 | 0x20 }
                    let after = index + 1 + name.utf8.count
                    if word.elementsEqual(name.utf8), after == count || !isAlphanumeric(bytes[after]) { return true }
                }
            } else if byte == UInt8(ascii: "&") {
                var end = index + 1
                if end < count, bytes[end] == UInt8(ascii: "#") { end += 1 }
                let start = end
                while end < count, end - start < 32, isAlphanumeric(bytes[end]) { end += 1 }
                if end > start, end < count, bytes[end] == UInt8(ascii: ";") { return true }
            }
            index += 1
        }
        return false
    }

    private static func shouldRemove(_ node: Node) -> Bool {
        switch node.kind {
        case .comment, .other: return true
        case .element: return blockedElements.contains(node.name)
        case .text, .cdata: return false
        }
    }

    private static func cleanAttributes(of node: Node, base: String?) {
        let attributes = node.attributes
        if attributes.isEmpty { return }
        for (name, value) in attributes {
            let lower = name.lowercased()
            if lower.hasPrefix("on") || blockedAttributes.contains(lower) {
                node.removeAttribute(name)
                continue
            }
            guard urlAttributes.contains(lower) else { continue }
            if isDangerousURL(value) {
                node.removeAttribute(name)
            } else if lower != "srcset", lower != "ping", !value.isEmpty {
                let resolved = URLResolver.resolve(value, against: base)
                if resolved != value { node.setAttribute(name, to: resolved) }
            }
        }
    }

    /// Whether a URL uses a scheme that runs code or embeds content: `javascript:`,
    /// `vbscript:`, `data:` (with whitespace and control characters ignored, as browsers do).
    static func isDangerousURL(_ value: String) -> Bool {
        var compact = String.UnicodeScalarView()
        for scalar in value.unicodeScalars where scalar.value > 0x20 {
            compact.append(scalar)
            if compact.count > 16 { break }
        }
        let lower = String(compact).lowercased()
        return lower.hasPrefix("javascript:") || lower.hasPrefix("vbscript:") || lower.hasPrefix("data:")
            || lower.hasPrefix("livescript:") || lower.hasPrefix("mocha:")
    }

    /// The next node in document order, skipping `node`'s subtree unless `descend`.
    private static func next(after node: Node, within root: Node, descend: Bool) -> Node? {
        if descend, let child = node.firstChild { return child }
        var current = node
        while true {
            if current.isSame(as: root) { return nil }
            if let sibling = current.nextSibling { return sibling }
            guard let parent = current.parent else { return nil }
            if parent.isSame(as: root) { return nil }
            current = parent
        }
    }
}
