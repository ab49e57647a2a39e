#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One node of a ``PageTree``: an element or a run of text, linked by index.
struct PageNode {
    var tag: Tag
    /// `hidden` (attribute, `aria-hidden`, inline `display:none`).
    var hidden: Bool = false
    var parent: Int32
    var firstChild: Int32 = -1
    var lastChild: Int32 = -1
    var next: Int32 = -1
    /// Text nodes: the byte range in ``PageTree/text``. Elements: the range in ``PageTree/attributes``.
    var start: Int32
    var end: Int32
}

/// One kept attribute: its name and the byte range of its decoded value in ``PageTree/attributeBytes``.
struct PageAttribute {
    var name: AttributeName
    var start: Int32
    var end: Int32
}

/// A compact, index-linked HTML tree built by a tolerant single-pass tokenizer.
///
/// Built for extraction, not for rendering: only the attributes the extractor reads are kept,
/// raw-text elements (script, style) are skipped in place, and the tree is bounded — nesting deeper
/// than `maxDepth` is flattened into the deepest open element, so hostile markup costs linear time.
struct PageTree {
    var nodes: [PageNode] = []
    var text: [UInt8] = []
    var attributes: [PageAttribute] = []
    var attributeBytes: [UInt8] = []
    /// The `<title>` text.
    var title: String?
    /// Sources of `<script type="application/ld+json">` blocks.
    var jsonLD: [String] = []
    /// `<meta>` and `<link>` elements, in document order.
    var headElements: [Int32] = []
    /// The `<html>` element, if any.
    var htmlElement: Int32 = -1

    static let maxDepth = 400
    /// How far down the open elements an end tag (or an implied end) looks for its match: enough
    /// for real pages, and it keeps thousands of unclosed inline tags from costing depth × tags.
    static let maxEndTagSearch = 96
    static let maxAttributeValue = 4096
    static let maxJSONLD = 2 << 20

    /// The tree stops growing at this many nodes (the rest of the page is ignored).
    let maxNodes: Int

    init(utf8 bytes: [UInt8], maxNodes: Int = 600_000) {
        self.init(empty: maxNodes, expectedBytes: bytes.count)
        bytes.withUnsafeBufferPointer { build($0) }
    }

    /// A tree holding only the document node, for a builder to fill.
    init(empty maxNodes: Int, expectedBytes: Int) {
        self.maxNodes = max(maxNodes, 16)
        nodes.reserveCapacity(min(expectedBytes / 40, self.maxNodes))
        text.reserveCapacity(expectedBytes / 4)
        nodes.append(PageNode(tag: .document, parent: -1, start: 0, end: 0))
    }

    // MARK: - Reading

    @inline(__always) func attribute(_ name: AttributeName, of node: Int32) -> String? {
        let n = nodes[Int(node)]
        guard n.tag != .text, n.start < n.end else { return nil }
        for k in Int(n.start)..<Int(n.end) where attributes[k].name == name {
            let a = attributes[k]
            return String(decoding: attributeBytes[Int(a.start)..<Int(a.end)], as: UTF8.self)
        }
        return nil
    }

    /// The raw bytes of an attribute value (already lower-case for class and id).
    @inline(__always) func attributeSlice(_ name: AttributeName, of node: Int32) -> ArraySlice<UInt8>? {
        let n = nodes[Int(node)]
        guard n.tag != .text, n.start < n.end else { return nil }
        for k in Int(n.start)..<Int(n.end) where attributes[k].name == name {
            let a = attributes[k]
            return attributeBytes[Int(a.start)..<Int(a.end)]
        }
        return nil
    }

    // MARK: - Building

    private mutating func build(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        var stack: [Int32] = [0]
        stack.reserveCapacity(Self.maxDepth + 1)
        var i = 0
        while i < n, nodes.count < maxNodes {
            // Text up to the next '<'.
            let lt = Self.findByte(UInt8(ascii: "<"), p, from: i, to: n)
            if lt > i { appendText(p, from: i, to: lt, parent: stack[stack.count - 1]) }
            i = lt
            if i >= n { break }
            let c1: UInt8 = i + 1 < n ? p[i + 1] : 0
            if c1 == UInt8(ascii: "!") {
                if i + 3 < n, p[i + 2] == UInt8(ascii: "-"), p[i + 3] == UInt8(ascii: "-") {
                    i = Self.findSequence(p, "-->", from: i + 4, to: n)
                } else {
                    i = Self.findByte(UInt8(ascii: ">"), p, from: i + 2, to: n) + 1
                }
            } else if c1 == UInt8(ascii: "?") {
                i = Self.findByte(UInt8(ascii: ">"), p, from: i + 2, to: n) + 1
            } else if c1 == UInt8(ascii: "/") {
                var j = i + 2
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                let nameStart = j
                while j < n, Self.isNameByte(p[j]) {
                    h = (h ^ UInt64(p[j] | 0x20)) &* 0x100_0000_01b3
                    j += 1
                }
                i = Self.findByte(UInt8(ascii: ">"), p, from: j, to: n) + 1
                if j > nameStart { closeElement(Tag.lookup(hash: h), stack: &stack) }
            } else if Self.isAlpha(c1) {
                i = startTag(p, at: i, stack: &stack)
            } else {
                appendText(p, from: i, to: i + 1, parent: stack[stack.count - 1])
                i += 1
            }
        }
    }

    /// Handles a start tag at `p[at]`; returns the index after it (and after its raw text, if any).
    private mutating func startTag(_ p: UnsafeBufferPointer<UInt8>, at: Int, stack: inout [Int32]) -> Int {
        let n = p.count
        var j = at + 1
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        while j < n, Self.isNameByte(p[j]) {
            h = (h ^ UInt64(p[j] | 0x20)) &* 0x100_0000_01b3
            j += 1
        }
        let tag = Tag.lookup(hash: h)
        let attributeStart = Int32(attributes.count)
        var hidden = false
        var isJSONLD = false
        // Attributes.
        while j < n {
            while j < n, Self.isSpace(p[j]) || p[j] == UInt8(ascii: "/") { j += 1 }
            if j >= n || p[j] == UInt8(ascii: ">") { break }
            let nameStart = j
            var ah: UInt64 = 0xcbf2_9ce4_8422_2325
            while j < n, !Self.isSpace(p[j]), p[j] != UInt8(ascii: "="), p[j] != UInt8(ascii: ">"),
                !(p[j] == UInt8(ascii: "/") && j > nameStart)
            {
                ah = (ah ^ UInt64(p[j] | 0x20)) &* 0x100_0000_01b3
                j += 1
            }
            if j == nameStart {
                j += 1
                continue
            }
            while j < n, Self.isSpace(p[j]) { j += 1 }
            var valueStart = j
            var valueEnd = j
            var hasValue = false
            if j < n, p[j] == UInt8(ascii: "=") {
                hasValue = true
                j += 1
                while j < n, Self.isSpace(p[j]) { j += 1 }
                if j < n, p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "'") {
                    let quote = p[j]
                    valueStart = j + 1
                    valueEnd = Self.findByte(quote, p, from: valueStart, to: n)
                    j = min(valueEnd + 1, n)
                } else {
                    valueStart = j
                    while j < n, !Self.isSpace(p[j]), p[j] != UInt8(ascii: ">") { j += 1 }
                    valueEnd = j
                }
            }
            guard let name = AttributeName.lookup(hash: ah) else { continue }
            let start = Int32(attributeBytes.count)
            if hasValue {
                let end = min(valueEnd, valueStart + Self.maxAttributeValue)
                if name == .class || name == .id {
                    for k in valueStart..<end {
                        let c = p[k]
                        attributeBytes.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c)
                    }
                } else {
                    HTMLEntities.appendDecoded(p, from: valueStart, to: end, into: &attributeBytes)
                }
            }
            let attribute = PageAttribute(name: name, start: start, end: Int32(attributeBytes.count))
            attributes.append(attribute)
            switch name {
            case .hidden:
                hidden = true
            case .ariaHidden:
                hidden = hidden || attributeBytes[Int(start)..<Int(attribute.end)].elementsEqual("true".utf8)
            case .style:
                hidden = hidden || Self.styleHides(attributeBytes[Int(start)..<Int(attribute.end)])
            case .type:
                isJSONLD = CharsetSniffer.find(Array("ld+json".utf8), in: attributeBytes[Int(start)...]) != nil
            default:
                break
            }
        }
        let afterTag = min(j + 1, n)
        let traits = tag.traits

        // Implied end tags.
        if traits.contains(.closesParagraph) { closeIfOpen(.p, stack: &stack) }
        switch tag {
        case .li: closeListItem([.li], stack: &stack)
        case .dd, .dt: closeListItem([.dd, .dt], stack: &stack)
        case .td, .th: closeCells(upTo: [.td, .th], stopAt: [.table, .tr], stack: &stack)
        case .tr: closeCells(upTo: [.tr], stopAt: [.table, .tbody, .thead, .tfoot], stack: &stack)
        case .option: if nodes[Int(stack[stack.count - 1])].tag == .option { stack.removeLast() }
        case .h1, .h2, .h3, .h4, .h5, .h6:
            if nodes[Int(stack[stack.count - 1])].tag.has(.heading) { stack.removeLast() }
        case .html, .body, .head:
            if tag == .html, htmlElement < 0 {
                break
            }
            // A second html/body/head, or body/head themselves: no node of their own.
            return afterTag
        default: break
        }

        let parent = stack[stack.count - 1]
        let index = Int32(nodes.count)
        var node = PageNode(tag: tag, parent: parent, start: attributeStart, end: Int32(attributes.count))
        node.hidden = hidden
        nodes.append(node)
        link(index, to: parent)
        if tag == .html { htmlElement = index }
        if tag == .meta || tag == .link { headElements.append(index) }

        if traits.contains(.rawText) {
            let close = Self.findClosingTag(p, name: tag, from: afterTag)
            if tag == .title, title == nil {
                var buffer: [UInt8] = []
                HTMLEntities.appendDecoded(p, from: afterTag, to: close, into: &buffer)
                title = String(decoding: buffer, as: UTF8.self)
            } else if tag == .script, isJSONLD, close - afterTag <= Self.maxJSONLD {
                jsonLD.append(String(decoding: UnsafeBufferPointer(rebasing: p[afterTag..<close]), as: UTF8.self))
            }
            if close >= n { return n }
            return Self.findByte(UInt8(ascii: ">"), p, from: close, to: n) + 1
        }
        let selfClosing = j > at + 1 && j <= n && j - 1 < n && p[j - 1] == UInt8(ascii: "/")
        if traits.contains(.void) || (selfClosing && tag == .other) || tag == .html { return afterTag }
        if stack.count < Self.maxDepth { stack.append(index) }
        return afterTag
    }

    @inline(__always) mutating func link(_ index: Int32, to parent: Int32) {
        let last = nodes[Int(parent)].lastChild
        if last < 0 {
            nodes[Int(parent)].firstChild = index
        } else {
            nodes[Int(last)].next = index
        }
        nodes[Int(parent)].lastChild = index
    }

    private mutating func appendText(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int, parent: Int32) {
        let start = Int32(text.count)
        if Self.findByte(UInt8(ascii: "&"), p, from: from, to: to) < to {
            HTMLEntities.appendDecoded(p, from: from, to: to, into: &text)
        } else {
            text.append(contentsOf: UnsafeBufferPointer(rebasing: p[from..<to]))
        }
        // Merge with a preceding text sibling (split by a comment or a stray '<').
        let last = nodes[Int(parent)].lastChild
        if last >= 0, nodes[Int(last)].tag == .text, nodes[Int(last)].end == start {
            nodes[Int(last)].end = Int32(text.count)
            return
        }
        let index = Int32(nodes.count)
        nodes.append(PageNode(tag: .text, parent: parent, start: start, end: Int32(text.count)))
        link(index, to: parent)
    }

    private mutating func closeElement(_ tag: Tag, stack: inout [Int32]) {
        switch tag {
        case .html, .body, .head, .br: return
        default: break
        }
        var k = stack.count - 1
        let floor = max(0, stack.count - 1 - Self.maxEndTagSearch)
        while k > floor {
            let open = nodes[Int(stack[k])].tag
            if open == tag {
                stack.removeSubrange(k...)
                return
            }
            if open.has(.scopeBarrier) && !tag.has(.scopeBarrier) && tag != .tr && tag != .tbody { return }
            // A heading end tag closes any open heading.
            if tag.has(.heading) && open.has(.heading) {
                stack.removeSubrange(k...)
                return
            }
            k -= 1
        }
    }

    private mutating func closeIfOpen(_ tag: Tag, stack: inout [Int32]) {
        var k = stack.count - 1
        let floor = max(0, stack.count - 1 - Self.maxEndTagSearch)
        while k > floor {
            let open = nodes[Int(stack[k])].tag
            if open == tag {
                stack.removeSubrange(k...)
                return
            }
            if open.has(.block) || open.has(.scopeBarrier) || open == .button { return }
            k -= 1
        }
    }

    private mutating func closeListItem(_ tags: [Tag], stack: inout [Int32]) {
        var k = stack.count - 1
        let floor = max(0, stack.count - 1 - Self.maxEndTagSearch)
        while k > floor {
            let open = nodes[Int(stack[k])].tag
            if tags.contains(open) {
                stack.removeSubrange(k...)
                return
            }
            if open == .ul || open == .ol || open == .dl || open.has(.scopeBarrier) { return }
            if open.has(.block) && open != .div && open != .p && open != .address { return }
            k -= 1
        }
    }

    private mutating func closeCells(upTo tags: [Tag], stopAt barriers: [Tag], stack: inout [Int32]) {
        var k = stack.count - 1
        let floor = max(0, stack.count - 1 - Self.maxEndTagSearch)
        while k > floor {
            let open = nodes[Int(stack[k])].tag
            if tags.contains(open) {
                stack.removeSubrange(k...)
                return
            }
            if barriers.contains(open) || open == .html || open == .document { return }
            k -= 1
        }
    }

    // MARK: - Byte helpers

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C
    }

    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { c | 0x20 >= 0x61 && c | 0x20 <= 0x7A }

    @inline(__always) static func isNameByte(_ c: UInt8) -> Bool {
        !(isSpace(c) || c == UInt8(ascii: ">") || c == UInt8(ascii: "/"))
    }

    /// Index of the first `byte` in `p[from..<to]`, or `to`.
    @inline(__always)
    static func findByte(_ byte: UInt8, _ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        guard from < to, let base = p.baseAddress else { return to }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return to }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Index just after `needle` in `p[from...]`, or `p.count`.
    static func findSequence(_ p: UnsafeBufferPointer<UInt8>, _ needle: StaticString, from: Int, to: Int) -> Int {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        var i = from
        while true {
            i = findByte(pattern[0], p, from: i, to: to)
            if i + pattern.count > to { return to }
            var k = 1
            while k < pattern.count, p[i + k] == pattern[k] { k += 1 }
            if k == pattern.count { return i + pattern.count }
            i += 1
        }
    }

    /// Every tag's name, spelled once (`String(describing:)` reflects on every call).
    private static let rawTextNames: [[UInt8]] = Tag.allCases.map { Array(String(describing: $0).utf8) }

    /// Index of `</name` (case-insensitive) at or after `from`, or `p.count`.
    static func findClosingTag(_ p: UnsafeBufferPointer<UInt8>, name: Tag, from: Int) -> Int {
        let spelled = rawTextNames[Int(name.rawValue)]
        let n = p.count
        var i = from
        while true {
            i = findByte(UInt8(ascii: "<"), p, from: i, to: n)
            if i + 2 + spelled.count > n { return n }
            if p[i + 1] == UInt8(ascii: "/") {
                var k = 0
                while k < spelled.count, p[i + 2 + k] | 0x20 == spelled[k] { k += 1 }
                if k == spelled.count {
                    let after = i + 2 + k
                    if after >= n || !isNameByte(p[after]) || p[after] == UInt8(ascii: "/") { return i }
                }
            }
            i += 1
        }
    }

    static func styleHides(_ style: ArraySlice<UInt8>) -> Bool {
        var compact: [UInt8] = []
        compact.reserveCapacity(style.count)
        for c in style where !isSpace(c) { compact.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c) }
        return CharsetSniffer.find(Array("display:none".utf8), in: compact[...]) != nil
            || CharsetSniffer.find(Array("visibility:hidden".utf8), in: compact[...]) != nil
    }
}
