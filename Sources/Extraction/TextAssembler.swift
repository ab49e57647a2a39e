/// Lays out the chosen containers as lines of text (one per block) and drops furniture lines.
struct TextAssembler {
    struct Line {
        var bytes: [UInt8]
        var chars: Int
        var linkChars: Int
        /// The element holding the line's block (to tell the body's own lines from a pasted block).
        var container: Int32 = -1
    }

    private var lines: [Line] = []
    private var current: [UInt8] = []
    private var currentChars = 0
    private var currentLinkChars = 0
    private var pendingSpace = false
    private var container: Int32 = -1

    static func lines(of finder: ContentFinder, roots: [Int32], clean: Bool = true) -> [Line] {
        var assembler = TextAssembler()
        let nodes = finder.tree.nodes
        finder.tree.text.withUnsafeBufferPointer { text in
            for root in roots {
                var i = Int(root)
                let end = finder.subtreeEnd(root)
                var blockEnds: [Int] = []
                var blockNodes: [Int32] = []
                var linkUntil = -1
                assembler.container = nodes[Int(root)].parent
                while i < end {
                    while let last = blockEnds.last, i >= last {
                        assembler.flush()
                        blockEnds.removeLast()
                        blockNodes.removeLast()
                        assembler.container = blockNodes.last.map { nodes[Int($0)].parent } ?? nodes[Int(root)].parent
                    }
                    let node = nodes[i]
                    if finder.dropped[i] {
                        i = finder.subtreeEnd(Int32(i))
                        continue
                    }
                    switch node.tag {
                    case .text:
                        assembler.append(text, from: Int(node.start), to: Int(node.end), inLink: i < linkUntil)
                    case .br, .hr:
                        assembler.flush()
                    default:
                        if clean, finder.isFurniture(Int32(i), root: root) {
                            if finder.linkChars[i] * 2 >= finder.chars[i], finder.chars[i] > 0 {
                                // Leave a trace of dropped links, for the "read also" rule.
                                assembler.flush()
                                assembler.lines.append(Line(bytes: [], chars: 0, linkChars: 1, container: node.parent))
                            }
                            i = finder.subtreeEnd(Int32(i))
                            continue
                        }
                        if node.tag.has(.block) {
                            assembler.flush()
                            blockEnds.append(finder.subtreeEnd(Int32(i)))
                            blockNodes.append(Int32(i))
                            assembler.container = node.parent
                        } else if node.tag == .a, i >= linkUntil {
                            linkUntil = finder.subtreeEnd(Int32(i))
                        } else if node.tag == .img || node.tag == .td || node.tag == .th {
                            assembler.pendingSpace = true
                        }
                    }
                    i += 1
                }
                assembler.flush()
            }
        }
        return assembler.lines
    }

    private mutating func append(_ text: UnsafeBufferPointer<UInt8>, from: Int, to: Int, inLink: Bool) {
        var k = from
        while k < to {
            let c = text[k]
            if PageTree.isSpace(c) {
                pendingSpace = true
                k += 1
                continue
            }
            // No-break space (U+00A0) and the zero-width / formatting spaces count as white space.
            if c == 0xC2, k + 1 < to, text[k + 1] == 0xA0 {
                pendingSpace = true
                k += 2
                continue
            }
            if c == 0xE2, k + 2 < to, text[k + 1] == 0x80, text[k + 2] <= 0x8B || text[k + 2] == 0xAF {
                pendingSpace = true
                k += 3
                continue
            }
            if pendingSpace && !current.isEmpty { current.append(0x20) }
            pendingSpace = false
            // The run of bytes up to the next possible space, appended at once.
            var end = k + 1
            var chars = c & 0xC0 != 0x80 ? 1 : 0
            while end < to {
                let d = text[end]
                if PageTree.isSpace(d) || d == 0xC2 || d == 0xE2 { break }
                if d & 0xC0 != 0x80 { chars += 1 }
                end += 1
            }
            current.append(contentsOf: UnsafeBufferPointer(rebasing: text[k..<end]))
            currentChars += chars
            if inLink { currentLinkChars += chars }
            k = end
        }
    }

    private mutating func flush() {
        pendingSpace = false
        guard !current.isEmpty else { return }
        lines.append(Line(bytes: current, chars: currentChars, linkChars: currentLinkChars, container: container))
        current.removeAll(keepingCapacity: true)
        currentChars = 0
        currentLinkChars = 0
    }
}

/// Line-level furniture filters.
enum LineFilter {
    static let furniture: [[UInt8]] = Heuristics.furniturePrefixes.map { Array($0.lowercased().utf8) }
    static let stops: [[UInt8]] = Heuristics.stopPrefixes.map { Array($0.lowercased().utf8) }
    static let bylines: [[UInt8]] = Heuristics.bylinePrefixes.map { Array($0.lowercased().utf8) }

    /// Whether the line holds "©" (U+00A9).
    static func containsCopyrightSign(_ bytes: [UInt8]) -> Bool {
        var k = 0
        while k + 1 < bytes.count {
            if bytes[k] == 0xC2 && bytes[k + 1] == 0xA9 { return true }
            k += 1
        }
        return false
    }

    static func startsWith(_ line: [UInt8], _ prefixes: [[UInt8]]) -> Bool {
        var head = Array(line.prefix(64))
        for k in head.indices where head[k] >= 0x41 && head[k] <= 0x5A { head[k] |= 0x20 }
        // Leading punctuation such as "» Read also" or "- اقرأ أيضا".
        var start = 0
        while start < head.count, head[start] < 0x80, !(head[start] | 0x20 >= 0x61 && head[start] | 0x20 <= 0x7A),
            !(head[start] >= 0x30 && head[start] <= 0x39)
        {
            start += 1
        }
        if start < head.count - 1, head[start] == 0xC2, head[start + 1] == 0xBB { start += 2 }  // »
        while start < head.count, head[start] == 0x20 { start += 1 }
        let body = head[start...]
        return prefixes.contains { body.starts(with: $0) }
    }

    /// Applies the furniture and stop rules, and removes lines repeating the title.
    static func filter(_ lines: [TextAssembler.Line], title: String?, options: ExtractionOptions) -> [String] {
        let totalChars = lines.reduce(0) { $0 + $1.chars }
        let titleKey = title.map { normalized(Array($0.utf8)) }
        var out: [String] = []
        var seenChars = 0
        var skipLinksUntil = -1
        // A line with no characters and a link count is the trace of a dropped block of links.
        func linkDensity(_ line: TextAssembler.Line) -> Double { Double(line.linkChars) / Double(max(line.chars, 1)) }
        for (index, line) in lines.enumerated() {
            let density = linkDensity(line)
            defer { seenChars += line.chars }
            // The linked headlines under a "read also" label.
            if index <= skipLinksUntil {
                if density >= 0.5 { continue }
                skipLinksUntil = -1
            }
            if line.chars <= Heuristics.stopLineMaxCharacters, startsWith(line.bytes, stops) {
                // A "read also" / "related" label. Late in the page, or followed by plain text (another
                // article pasted below), it ends the body; followed by links, it is an inline teaser.
                let share = Double(seenChars) / Double(max(totalChars, 1))
                var next = index + 1
                while next < lines.count, linkDensity(lines[next]) >= 0.5 { next += 1 }
                let bodyGoesOn =
                    index > 0 && next < lines.count && lines[next].container == lines[index - 1].container
                if share >= Heuristics.stopAlwaysShare || (share >= Heuristics.stopMinimumShare && !bodyGoesOn) {
                    break
                }
                skipLinksUntil = lines.count
                continue
            }
            if startsWith(line.bytes, furniture),
                line.chars <= Heuristics.furnitureLineMaxCharacters || density >= 0.4
            {
                continue
            }
            if line.chars <= 40, Heuristics.furnitureLines.contains(bareWords(line.bytes)) { continue }
            if (index < 2 || index == lines.count - 1) && isDateline(line) { continue }
            if index < 3, line.chars <= Heuristics.bylineMaxCharacters, startsWith(line.bytes, bylines) { continue }
            if line.chars <= 200, containsCopyrightSign(line.bytes) { continue }
            if index < 3, let titleKey, !titleKey.isEmpty, normalized(line.bytes) == titleKey { continue }
            if line.chars == 0 { continue }
            out.append(String(decoding: line.bytes, as: UTF8.self))
        }
        return out
    }

    /// The line lower-cased, without digits, ASCII punctuation and outer spaces ("23 Comments:" → "comments").
    static func bareWords(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for c in bytes {
            if c >= 0x80 || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x2D {
                out.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c)
            } else if c == 0x20, let last = out.last, last != 0x20 {
                out.append(c)
            }
        }
        while out.last == 0x20 { out.removeLast() }
        while out.first == 0x2D { out.removeFirst() }
        while out.last == 0x2D { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// A short line that is only a date ("November 18, 2019", "23 Nov 2017 | 10:14").
    static func isDateline(_ line: TextAssembler.Line) -> Bool {
        guard line.chars <= 60 else { return false }
        var digits = 0
        var hasYear = false
        var run = 0
        var runStart = 0
        let b = line.bytes
        for (k, c) in b.enumerated() {
            if c >= 0x30 && c <= 0x39 {
                if run == 0 { runStart = k }
                run += 1
                digits += 1
            } else {
                if run == 4,
                    b[runStart] == 0x31 && b[runStart + 1] == 0x39 || b[runStart] == 0x32 && b[runStart + 1] == 0x30
                {
                    hasYear = true
                }
                run = 0
            }
        }
        if run == 4, b[runStart] == 0x31 && b[runStart + 1] == 0x39 || b[runStart] == 0x32 && b[runStart + 1] == 0x30 {
            hasYear = true
        }
        guard hasYear, let last = b.last, last != UInt8(ascii: "."), last != UInt8(ascii: "!"),
            last != UInt8(ascii: "?")
        else { return false }
        let words = b.split(separator: 0x20).count
        return words <= 8
    }

    /// Lower-cased letters and digits only (for comparing a line with the title).
    static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for c in bytes {
            if c >= 0x80 {
                out.append(c)
            } else if (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || (c >= 0x30 && c <= 0x39) {
                out.append(c | (c >= 0x41 ? 0x20 : 0))
            }
        }
        return out
    }
}
