import Markup

extension PageTree {
    /// Builds the tree from libxml2's HTML parse of a page already decoded to UTF-8.
    ///
    /// The result has the same shape as the tokenizer's: `<html>` is an empty node (for its
    /// attributes) and `<head>`/`<body>` have no node of their own, so their content hangs from the
    /// document node; raw-text elements (script, style, title, …) have no children; nesting deeper
    /// than ``maxDepth`` is flattened into the deepest kept element; the tree stops at `maxNodes`.
    ///
    /// - Parameters:
    ///   - utf8: The page as UTF-8.
    ///   - url: The page's URL, if known.
    ///   - maxNodes: The most nodes the tree may have.
    ///   - maxBytes: The largest input handed to libxml2.
    /// - Returns: The tree, and whether libxml2 read the whole page (the parse stops at nesting
    ///   deeper than 256 elements, the limit libxml2 sets when it builds its own tree, leaving the
    ///   rest of the page out).
    /// - Throws: ``MarkupError`` when libxml2 refuses the page.
    static func parsedByLibXML2(_ utf8: [UInt8], url: String?, maxNodes: Int, maxBytes: Int) throws(MarkupError)
        -> (tree: PageTree, complete: Bool)
    {
        var builder = LibXML2TreeBuilder(tree: PageTree(empty: maxNodes, expectedBytes: utf8.count))
        let result = try HTMLTree.parseAndWalk(utf8: utf8, url: url, maxBytes: maxBytes, visitor: &builder)
        return (builder.tree, !result.stoppedEarly)
    }
}

/// Turns libxml2's element and text events into a ``PageTree``.
struct LibXML2TreeBuilder: HTMLEventVisitor {
    /// Text collected for the element whose content comes as text only (title, JSON-LD).
    private enum Collecting {
        case none, title, jsonLD
    }

    var tree: PageTree
    /// Open elements that take children (document first).
    private var stack: [Int32] = [0]
    /// For every started element: whether it pushed onto ``stack``.
    private var pushed: [Bool] = []
    private var full = false
    private var collecting = Collecting.none
    private var collected: [UInt8] = []
    /// Name lookups keyed by libxml2's interned name pointer (direct-mapped).
    private var tagCache = [(key: UnsafeRawPointer?, tag: Tag)](repeating: (nil, .other), count: 128)
    private var attributeCache = [(key: UnsafeRawPointer?, name: AttributeName?)](repeating: (nil, nil), count: 64)

    init(tree: PageTree) {
        self.tree = tree
        stack.reserveCapacity(PageTree.maxDepth + 1)
        pushed.reserveCapacity(256)
    }

    mutating func startElement(_ element: HTMLElementEvent) -> HTMLContentChoice {
        guard !full else {
            pushed.append(false)
            return .nothing
        }
        if tree.nodes.count >= tree.maxNodes {
            full = true
            pushed.append(false)
            return .nothing
        }
        let tag = lookupTag(element)
        switch tag {
        case .head, .body:
            pushed.append(false)
            return .everything
        case .html where tree.htmlElement >= 0:
            pushed.append(false)
            return .everything
        default:
            break
        }
        let attributeStart = Int32(tree.attributes.count)
        var hidden = false
        var isJSONLD = false
        for attribute in element.attributes {
            guard let name = lookupAttribute(attribute.name) else { continue }
            let start = Int32(tree.attributeBytes.count)
            if let value = attribute.value, value.count > 0 {
                let kept = UnsafeBufferPointer(rebasing: value[0..<min(value.count, PageTree.maxAttributeValue)])
                if name == .class || name == .id {
                    for c in kept { tree.attributeBytes.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c) }
                } else {
                    tree.attributeBytes.append(contentsOf: kept)
                }
            }
            let end = Int32(tree.attributeBytes.count)
            tree.attributes.append(PageAttribute(name: name, start: start, end: end))
            switch name {
            case .hidden:
                hidden = true
            case .ariaHidden:
                hidden = hidden || tree.attributeBytes[Int(start)..<Int(end)].elementsEqual("true".utf8)
            case .style:
                hidden = hidden || PageTree.styleHides(tree.attributeBytes[Int(start)..<Int(end)])
            case .type:
                isJSONLD = CharsetSniffer.find(Array("ld+json".utf8), in: tree.attributeBytes[Int(start)...]) != nil
            default:
                break
            }
        }
        let parent = stack[stack.count - 1]
        let index = Int32(tree.nodes.count)
        var node = PageNode(tag: tag, parent: parent, start: attributeStart, end: Int32(tree.attributes.count))
        node.hidden = hidden
        tree.nodes.append(node)
        tree.link(index, to: parent)
        if tag == .html { tree.htmlElement = index }
        if tag == .meta || tag == .link { tree.headElements.append(index) }

        let traits = tag.traits
        if traits.contains(.rawText) {
            pushed.append(false)
            if tag == .title, tree.title == nil {
                collecting = .title
                return .textOnly
            } else if tag == .script, isJSONLD {
                collecting = .jsonLD
                return .textOnly
            }
            return .nothing
        }
        // `<html>` keeps no children: the page hangs from the document node, as with the tokenizer.
        if traits.contains(.void) || tag == .html {
            pushed.append(false)
            return tag == .html ? .everything : .nothing
        }
        if stack.count < PageTree.maxDepth {
            stack.append(index)
            pushed.append(true)
        } else {
            pushed.append(false)
        }
        return .everything
    }

    mutating func endElement() {
        if pushed.removeLast() { stack.removeLast() }
        switch collecting {
        case .none:
            return
        case .title:
            tree.title = String(decoding: collected, as: UTF8.self)
        case .jsonLD:
            if collected.count <= PageTree.maxJSONLD { tree.jsonLD.append(String(decoding: collected, as: UTF8.self)) }
        }
        collecting = .none
        collected.removeAll()
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count > 0 else { return }
        switch collecting {
        case .none:
            break
        case .title:
            if collected.count < 64 * 1024 { collected.append(contentsOf: bytes) }
            return
        case .jsonLD:
            if collected.count <= PageTree.maxJSONLD { collected.append(contentsOf: bytes) }
            return
        }
        guard !full else { return }
        if tree.nodes.count >= tree.maxNodes {
            full = true
            return
        }
        let parent = stack[stack.count - 1]
        let start = Int32(tree.text.count)
        tree.text.append(contentsOf: bytes)
        // Merge with a preceding text sibling (split by a comment).
        let last = tree.nodes[Int(parent)].lastChild
        if last >= 0, tree.nodes[Int(last)].tag == .text, tree.nodes[Int(last)].end == start {
            tree.nodes[Int(last)].end = Int32(tree.text.count)
            return
        }
        let index = Int32(tree.nodes.count)
        tree.nodes.append(PageNode(tag: .text, parent: parent, start: start, end: Int32(tree.text.count)))
        tree.link(index, to: parent)
    }

    // MARK: - Names

    @inline(__always) private mutating func lookupTag(_ element: HTMLElementEvent) -> Tag {
        guard let key = element.internedName else { return .other }
        let slot = Int(truncatingIfNeeded: UInt(bitPattern: key) >> 4) & (tagCache.count - 1)
        if tagCache[slot].key == key { return tagCache[slot].tag }
        let tag = Tag.lookup(hash: Self.fnv(element.name))
        tagCache[slot] = (key, tag)
        return tag
    }

    @inline(__always) private mutating func lookupAttribute(_ name: UnsafeBufferPointer<UInt8>) -> AttributeName? {
        guard let base = name.baseAddress else { return nil }
        let key = UnsafeRawPointer(base)
        let slot = Int(truncatingIfNeeded: UInt(bitPattern: key) >> 4) & (attributeCache.count - 1)
        if attributeCache[slot].key == key { return attributeCache[slot].name }
        let found = AttributeName.lookup(hash: Self.fnv(name))
        attributeCache[slot] = (key, found)
        return found
    }

    @inline(__always) private static func fnv(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b | 0x20)) &* 0x100_0000_01b3 }
        return h
    }
}

extension PageTree {
    /// libxml2 checks each attribute against the tag's earlier ones, so a tag with a flood of
    /// attributes costs it quadratic time (40,000 on one tag took 3 s). No real page comes close.
    static let maxAttributesPerTag = 256

    /// libxml2 reads a longer element or attribute name in pieces (its name buffer's size).
    private static let maxNameLength = 99

    /// Prepares a page for libxml2: `nil` when some start tag carries more than
    /// ``maxAttributesPerTag`` attributes, else the page without the bodies of its `<script>` and
    /// `<style>` elements (JSON-LD scripts keep theirs), without the attributes the extractor
    /// never reads (see ``AttributeName/isRead(_:on:)``) and with white space in text collapsed.
    ///
    /// Those bodies are half the bytes of a typical news page and never reach the extractor, and
    /// libxml2 reads them a character at a time: leaving them out makes its parse about 1.6 times
    /// faster. A body ends where libxml2 ends it (at the first `</script` or `</style`), and the
    /// linear scan reads tags the way libxml2 does: comments are skipped, quoted attribute values
    /// may hold spaces and `>`.
    ///
    /// Of what is left, attributes are more than half (`src`, `srcset`, `data-*`, `href` of every
    /// link, inline SVG paths), and libxml2 reads their names and values a character at a time
    /// too, copying every value. A start tag loses the attributes the extractor does not read
    /// only when libxml2 would read every attribute of it exactly as this scan does (names of
    /// letters, digits and `:-_.`, blanks between attributes, values quoted or plain, the tag
    /// closed): dropping one then cannot change how libxml2 reads the rest of the page. Any other
    /// tag, and every page holding a NUL or form-feed byte (which libxml2 and this scan treat
    /// differently), is handed over as written.
    ///
    /// Text loses its runs of white space (indentation is a sixth of what is left), which libxml2
    /// also reads a character at a time: each becomes one byte, a line feed if it held a line
    /// break. Scripts, comments and tags keep theirs.
    ///
    /// - Parameters:
    ///   - utf8: The page as UTF-8.
    ///   - dropUnreadAttributes: Whether to leave out the attributes the extractor never reads.
    ///   - collapseWhiteSpace: Whether to shorten each run of white space in text to one byte.
    /// - Returns: The input for libxml2, or `nil` for a tag with too many attributes.
    static func libxml2Input(_ utf8: [UInt8], dropUnreadAttributes: Bool = true, collapseWhiteSpace: Bool = true)
        -> [UInt8]?
    {
        var output: [UInt8] = []
        var copied = 0
        /// The kept attributes of the tag being read: byte ranges of `name[=value]`.
        var kept: [Range<Int>] = []
        let flood: Bool = utf8.withUnsafeBufferPointer { p in
            let n = p.count
            // Where NUL or form feed occur, libxml2's reading of a tag differs from this scan's.
            let regular = findByte(0, p, from: 0, to: n) == n && findByte(0x0C, p, from: 0, to: n) == n
            let rewriteTags = dropUnreadAttributes && regular
            let collapse = collapseWhiteSpace && regular
            var i = 0
            while true {
                let text = i
                i = findByte(UInt8(ascii: "<"), p, from: i, to: n)
                if collapse {
                    collapseSpaces(p, from: text, to: i, into: &output, copied: &copied)
                }
                if i + 1 >= n { return false }
                let c1 = p[i + 1]
                if c1 == UInt8(ascii: "!"), i + 3 < n, p[i + 2] == UInt8(ascii: "-"), p[i + 3] == UInt8(ascii: "-") {
                    i = findSequence(p, "-->", from: i + 4, to: n)
                    continue
                }
                guard isAlpha(c1) else {
                    i += 1
                    continue
                }
                let tagStart = i
                var j = i + 1
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                var simple = rewriteTags
                while j < n, isNameByte(p[j]) {
                    simple = simple && isLibXML2NameByte(p[j])
                    h = (h ^ UInt64(p[j] | 0x20)) &* 0x100_0000_01b3
                    j += 1
                }
                let nameEnd = j
                simple = simple && nameEnd - tagStart - 1 <= maxNameLength
                let tag = Tag.lookup(hash: h)
                var attributes = 0
                var dropped = false
                var attributeEnd = nameEnd
                kept.removeAll(keepingCapacity: true)
                while j < n {
                    let gap = j
                    while j < n, isSpace(p[j]) || p[j] == UInt8(ascii: "/") { j += 1 }
                    if j >= n || p[j] == UInt8(ascii: ">") {
                        // The tag's end: blanks, then at most a `/` right before the `>`.
                        var k = gap
                        while k < j, p[k] != UInt8(ascii: "/") { k += 1 }
                        simple = simple && j < n && (k == j || k == j - 1)
                        break
                    }
                    attributes += 1
                    if attributes > maxAttributesPerTag { return true }
                    if simple {
                        // Between attributes only blanks; after a name or a plain value at least one.
                        for k in gap..<j where p[k] == UInt8(ascii: "/") { simple = false }
                        if gap == j, p[gap - 1] != UInt8(ascii: "\""), p[gap - 1] != UInt8(ascii: "'") {
                            simple = false
                        }
                    }
                    let attributeStart = j
                    var ah: UInt64 = 0xcbf2_9ce4_8422_2325
                    while j < n, !isSpace(p[j]), p[j] != UInt8(ascii: "="), p[j] != UInt8(ascii: ">") {
                        ah = (ah ^ UInt64(p[j] | 0x20)) &* 0x100_0000_01b3
                        j += 1
                    }
                    if simple {
                        simple =
                            j > attributeStart && j - attributeStart <= maxNameLength
                            && isLibXML2NameStart(p[attributeStart])
                        var k = attributeStart + 1
                        while simple, k < j {
                            simple = isLibXML2NameByte(p[k])
                            k += 1
                        }
                    }
                    let nameEnd = j
                    while j < n, isSpace(p[j]) { j += 1 }
                    if j < n, p[j] == UInt8(ascii: "=") {
                        j += 1
                        while j < n, isSpace(p[j]) { j += 1 }
                        if j < n, p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "'") {
                            j = findByte(p[j], p, from: j + 1, to: n) + 1
                            // An unclosed quote: libxml2 reads to the end of the page.
                            if j > n { simple = false }
                        } else {
                            while j < n, !isSpace(p[j]), p[j] != UInt8(ascii: ">") { j += 1 }
                        }
                        attributeEnd = min(j, n)
                    } else {
                        // No value: the blanks after the name are the next gap.
                        j = nameEnd
                        attributeEnd = nameEnd
                    }
                    if simple {
                        if let name = AttributeName.lookup(hash: ah), AttributeName.isRead(name, on: tag) {
                            kept.append(attributeStart..<attributeEnd)
                        } else {
                            dropped = true
                        }
                    }
                }
                simple = simple && j < n && p[j] == UInt8(ascii: ">")
                let tagEnd = min(j, n)
                i = tagEnd
                if simple && dropped {
                    if output.isEmpty { output.reserveCapacity(n) }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<nameEnd]))
                    for range in kept {
                        output.append(0x20)
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: p[range]))
                    }
                    copied = attributeEnd
                }
                guard tag == .script || tag == .style else { continue }
                let bodyStart = min(tagEnd + 1, n)
                let close = findClosingTag(p, name: tag, from: bodyStart)
                i = close
                // Keep JSON-LD (and any other JSON) data blocks; drop the rest of the body.
                if tag == .script, containsJSON(p, from: tagStart, to: tagEnd) { continue }
                if close > bodyStart {
                    if output.isEmpty { output.reserveCapacity(n) }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<bodyStart]))
                    copied = close
                }
            }
        }
        if flood { return nil }
        if copied == 0 { return utf8 }
        output.append(contentsOf: utf8[copied...])
        return output
    }

    /// Replaces each run of two or more white-space bytes in the text `p[from..<to]` by one byte:
    /// a line feed when the run holds a line break (JSON-LD bodies with markup are split into
    /// paragraphs at line breaks), else a space. Every reader of the tree's text treats any run of
    /// white space as one space.
    private static func collapseSpaces(
        _ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int, into output: inout [UInt8], copied: inout Int
    ) {
        var k = from
        while k + 1 < to {
            // Neither pair from k nor from k + 1 can start a run unless p[k + 1] is white space.
            guard isSpace(p[k + 1]) else {
                k += 2
                continue
            }
            guard isSpace(p[k]) else {
                k += 1
                continue
            }
            var end = k + 2
            var lineBreak = p[k] == 0x0A || p[k] == 0x0D || p[k + 1] == 0x0A || p[k + 1] == 0x0D
            while end < to, isSpace(p[end]) {
                lineBreak = lineBreak || p[end] == 0x0A || p[end] == 0x0D
                end += 1
            }
            if output.isEmpty { output.reserveCapacity(p.count) }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<k]))
            output.append(lineBreak ? 0x0A : 0x20)
            copied = end
            k = end
        }
    }

    /// Whether libxml2 starts an HTML name with `c`.
    @inline(__always) private static func isLibXML2NameStart(_ c: UInt8) -> Bool {
        isAlpha(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: ".")
    }

    /// Whether libxml2 goes on reading an HTML name over `c`.
    @inline(__always) private static func isLibXML2NameByte(_ c: UInt8) -> Bool {
        isAlpha(c) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: ":") || c == UInt8(ascii: "-")
            || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
    }
    /// Whether `p[from..<to]` (a start tag) mentions "json", in any case.
    private static func containsJSON(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        var k = from
        while k + 4 <= to {
            if p[k] | 0x20 == UInt8(ascii: "j"), p[k + 1] | 0x20 == UInt8(ascii: "s"),
                p[k + 2] | 0x20 == UInt8(ascii: "o"), p[k + 3] | 0x20 == UInt8(ascii: "n")
            {
                return true
            }
            k += 1
        }
        return false
    }
}
