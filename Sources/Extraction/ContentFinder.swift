/// Finds the article body in a ``PageTree`` and turns it into paragraphs.
///
/// Three passes over flat arrays (no recursion, so depth is never a stack risk):
/// 1. prune: never-content elements, hidden elements and furniture containers (class/id);
/// 2. score: paragraph-like blocks give points to their ancestors (text length, commas, link
///    density, class/id hints, semantic tags), the best container wins and its good siblings join;
/// 3. clean and emit: inside the chosen containers, link-heavy or furniture blocks are skipped,
///    text is laid out one paragraph per block, and furniture lines ("read also", share prompts,
///    newsletter boxes, comment prompts) are dropped.
struct ContentFinder {
    let tree: PageTree
    let options: ExtractionOptions
    let count: Int

    /// Hard-dropped (never part of the body).
    var dropped: [Bool]
    /// Visible characters of text nodes (lead bytes that are not whitespace).
    var ownChars: [Int32]
    /// Subtree totals over kept nodes.
    var chars: [Int32]
    var linkChars: [Int32]
    var commas: [Int32]
    /// Count of `<p>` elements (kept) in the subtree.
    var paragraphCount: [Int32]
    var listItemCount: [Int32]
    /// Class/id weight (−25, 0, +25 …) per element.
    var weight: [Float]
    var score: [Float]
    var scored: [Bool]

    init(tree: PageTree, options: ExtractionOptions) {
        self.tree = tree
        self.options = options
        count = tree.nodes.count
        dropped = [Bool](repeating: false, count: count)
        ownChars = [Int32](repeating: 0, count: count)
        chars = [Int32](repeating: 0, count: count)
        linkChars = [Int32](repeating: 0, count: count)
        commas = [Int32](repeating: 0, count: count)
        paragraphCount = [Int32](repeating: 0, count: count)
        listItemCount = [Int32](repeating: 0, count: count)
        weight = [Float](repeating: 0, count: count)
        score = [Float](repeating: 0, count: count)
        scored = [Bool](repeating: false, count: count)
    }

    // MARK: - Pass 1: prune

    mutating func prune() {
        let tree = tree
        let nodes = tree.nodes
        var unlikely = [Bool](repeating: false, count: count)
        // Hard drops and text sizes.
        tree.text.withUnsafeBufferPointer { text in
            for i in 1..<count {
                let node = nodes[i]
                if dropped[Int(node.parent)] {
                    dropped[i] = true
                    continue
                }
                if node.tag == .text {
                    var visible: Int32 = 0
                    var commaCount: Int32 = 0
                    for k in Int(node.start)..<Int(node.end) {
                        let c = text[k]
                        if c & 0xC0 != 0x80 && !PageTree.isSpace(c) {
                            // A CJK ideograph or kana carries about as much as two Latin letters.
                            visible += c >= 0xE3 && c <= 0xE9 ? 2 : 1
                        }
                        if c == UInt8(ascii: ",") { commaCount += 1 }
                        // Arabic comma U+060C, ideographic comma U+3001, fullwidth comma U+FF0C.
                        if k >= 1, c == 0x8C, text[k - 1] == 0xD8 { commaCount += 1 }
                        if k >= 2, c == 0x81, text[k - 1] == 0x80, text[k - 2] == 0xE3 { commaCount += 1 }
                        if k >= 2, c == 0x8C, text[k - 1] == 0xBC, text[k - 2] == 0xEF { commaCount += 1 }
                    }
                    ownChars[i] = visible
                    commas[i] = commaCount
                    continue
                }
                if node.tag.has(.neverContent) {
                    dropped[i] = true
                    continue
                }
                let hint = Self.classHint(of: Int32(i), in: tree)
                weight[i] = hint.weight
                // Hidden like furniture: a page saved with a modal open hides its whole body.
                unlikely[i] = (hint.unlikely || node.hidden) && node.tag != .body && node.tag != .html
            }
        }
        // Raw sizes, to keep a furniture-named container that holds most of the page's text.
        var raw = [Int32](repeating: 0, count: count)
        for i in stride(from: count - 1, through: 1, by: -1) where !dropped[i] {
            raw[i] += ownChars[i]
            raw[Int(nodes[i].parent)] += raw[i]
        }
        let total = max(raw[0], 1)
        for i in 1..<count where !dropped[i] {
            if dropped[Int(nodes[i].parent)] || (unlikely[i] && Float(raw[i]) < 0.4 * Float(total)) {
                dropped[i] = true
            }
        }
        // Kept sizes.
        for i in stride(from: count - 1, through: 1, by: -1) where !dropped[i] {
            let node = nodes[i]
            let parent = Int(node.parent)
            chars[i] += ownChars[i]
            if node.tag == .a { linkChars[i] = chars[i] }
            if node.tag == .p { paragraphCount[i] += 1 }
            if node.tag == .li { listItemCount[i] += 1 }
            chars[parent] += chars[i]
            linkChars[parent] += linkChars[i]
            commas[parent] += commas[i]
            paragraphCount[parent] += paragraphCount[i]
            listItemCount[parent] += listItemCount[i]
        }
    }

    struct ClassHint {
        var weight: Float
        var unlikely: Bool
    }

    /// Static, with the tree passed in: called from inside a closure of a mutating method, an
    /// instance method would copy the whole finder (a dozen arrays) on every element.
    private static func classHint(of node: Int32, in tree: PageTree) -> ClassHint {
        var hint = ClassHint(weight: 0, unlikely: false)
        let n = tree.nodes[Int(node)]
        if n.tag == .article || n.tag == .main { hint.weight += Float(Heuristics.semanticBonus) }
        if let itemprop = tree.attribute(.itemprop, of: node)?.lowercased(),
            Heuristics.bodyItemprops.contains(itemprop)
        {
            hint.weight += Float(Heuristics.semanticBonus) * 2
        }
        if let role = tree.attribute(.role, of: node)?.lowercased() {
            if Heuristics.furnitureRoles.contains(role) {
                hint.unlikely = true
                hint.weight -= Float(Heuristics.classWeight)
            } else if Heuristics.contentRoles.contains(role) {
                hint.weight += Float(Heuristics.classWeight)
            }
        }
        for name in [AttributeName.class, .id] {
            guard let value = tree.attributeSlice(name, of: node), !value.isEmpty else { continue }
            let found = Self.classify(value)
            hint.weight += found.weight
            hint.unlikely = hint.unlikely || found.unlikely
        }
        return hint
    }

    /// Every class/id keyword with the lists it belongs to (bit 0 unlikely, 1 likely, 2 negative,
    /// 3 positive), as one automaton, so one scan of a value tests every keyword of every list.
    static let keywords: KeywordAutomaton = {
        var masks: [[UInt8]: UInt8] = [:]
        for (bit, list) in [
            Heuristics.unlikelyKeywords, Heuristics.likelyKeywords, Heuristics.negativeKeywords,
            Heuristics.positiveKeywords,
        ].enumerated() {
            for keyword in list { masks[Array(keyword.utf8), default: 0] |= 1 << UInt8(bit) }
        }
        return KeywordAutomaton(masks.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }))
    }()

    static func classify(_ value: ArraySlice<UInt8>) -> ClassHint {
        let found = keywords.masks(in: value)
        var hint = ClassHint(weight: 0, unlikely: false)
        hint.unlikely = found & 0b0011 == 0b0001
        if found & 0b0100 != 0 { hint.weight -= Float(Heuristics.classWeight) }
        if found & 0b1000 != 0 { hint.weight += Float(Heuristics.classWeight) }
        return hint
    }

    // MARK: - Pass 2: score

    /// Returns the containers that hold the body, in document order.
    mutating func selectRoots() -> [Int32] {
        let nodes = tree.nodes
        // Inline text per block container.
        var blockChars = [Int32](repeating: 0, count: count)
        var blockLinkChars = [Int32](repeating: 0, count: count)
        var blockCommas = [Int32](repeating: 0, count: count)
        for i in 1..<count where nodes[i].tag == .text && !dropped[i] && ownChars[i] > 0 {
            var up = nodes[i].parent
            var inLink = false
            while up > 0, !nodes[Int(up)].tag.has(.block) {
                if nodes[Int(up)].tag == .a { inLink = true }
                up = nodes[Int(up)].parent
            }
            blockChars[Int(up)] += ownChars[i]
            blockCommas[Int(up)] += commas[i]
            if inLink { blockLinkChars[Int(up)] += ownChars[i] }
        }
        let minimum = Int32(options.minParagraphCharacters)
        var candidates: [Int32] = []
        for b in 1..<count where blockChars[b] >= minimum && !dropped[b] {
            let tag = nodes[b].tag
            if tag.has(.heading) || tag == .li && blockLinkChars[b] * 2 > blockChars[b] { continue }
            let density = Float(blockLinkChars[b]) / Float(blockChars[b])
            var points = 1 + Float(blockCommas[b]) + min(Float(blockChars[b]) / 100, 3)
            points *= 1 - density
            if points <= 0 { continue }
            var up = nodes[b].parent
            var level = 0
            // The block itself counts when it is a text-bearing div-like container.
            if tag == .div || tag == .td || tag == .section || tag == .article || tag == .blockquote {
                touch(Int32(b), &candidates)
                score[b] += points
            }
            while up > 0, level < 5 {
                touch(up, &candidates)
                let divider: Float = level == 0 ? 1 : level == 1 ? 2 : Float(level * 3)
                score[Int(up)] += points / divider
                up = nodes[Int(up)].parent
                level += 1
            }
        }
        var top: Int32 = -1
        var best: Float = -.infinity
        for c in candidates {
            let total = max(chars[Int(c)], 1)
            let final = score[Int(c)] * (1 - Float(linkChars[Int(c)]) / Float(total))
            score[Int(c)] = final
            if final > best {
                best = final
                top = c
            }
        }
        guard top > 0 else { return [0] }

        // A body split over several containers (one per paragraph or section): climb to the
        // nearest ancestor that holds enough of the other strong candidates.
        let topEnd = subtreeEnd(top)
        let alternatives = candidates.filter { c in
            c != top && score[Int(c)] >= Heuristics.alternativeShare * best
                && !(c > top && Int(c) < topEnd) && !(c < top && subtreeEnd(c) >= topEnd)
        }
        if !alternatives.isEmpty {
            let needed = min(Heuristics.alternativesToClimb, alternatives.count)
            var ancestor = nodes[Int(top)].parent
            while ancestor > 0, nodes[Int(ancestor)].tag != .body {
                let end = subtreeEnd(ancestor)
                let inside = alternatives.reduce(0) { $0 + ($1 > ancestor && Int($1) < end ? 1 : 0) }
                if inside >= needed {
                    let density = Float(linkChars[Int(ancestor)]) / Float(max(chars[Int(ancestor)], 1))
                    if density < 0.5 { top = ancestor }
                    break
                }
                ancestor = nodes[Int(ancestor)].parent
            }
        }

        // A lone child carrying nearly everything: climb while the parent holds little more.
        var climbed = top
        while true {
            let parent = nodes[Int(climbed)].parent
            if parent <= 0 || nodes[Int(parent)].tag == .body { break }
            if Float(chars[Int(climbed)]) >= 0.92 * Float(chars[Int(parent)]) && scored[Int(parent)]
                && score[Int(parent)] >= 0.5 * best
            {
                climbed = parent
            } else {
                break
            }
        }
        top = climbed

        // Siblings that belong with the top candidate.
        let parent = nodes[Int(top)].parent
        guard parent >= 0 else { return [top] }
        let threshold = max(10, best * 0.2)
        let topClass = tree.attributeSlice(.class, of: top)
        var roots: [Int32] = []
        var sibling = nodes[Int(parent)].firstChild
        while sibling >= 0 {
            defer { sibling = nodes[Int(sibling)].next }
            let s = Int(sibling)
            if sibling == top {
                roots.append(sibling)
                continue
            }
            if dropped[s] || chars[s] == 0 || nodes[s].tag == .text { continue }
            if nodes[s].tag.has(.heading) { continue }
            var bonus: Float = 0
            if let topClass, !topClass.isEmpty, tree.attributeSlice(.class, of: sibling) == topClass {
                bonus = best * 0.2
            }
            let density = Float(linkChars[s]) / Float(max(chars[s], 1))
            if scored[s] && score[s] + bonus >= threshold {
                roots.append(sibling)
            } else if (nodes[s].tag == .ul || nodes[s].tag == .ol) && density < 0.2 && chars[s] >= 30
                && weight[s] >= 0
            {
                // A plain list between the body's paragraphs.
                roots.append(sibling)
            } else if nodes[s].tag == .p || (blockChars[s] > 0 && !nodes[s].tag.has(.heading)) {
                if chars[s] > 80 && density < 0.25 {
                    roots.append(sibling)
                } else if chars[s] > 0 && chars[s] <= 80 && density == 0 && endsSentence(sibling) {
                    roots.append(sibling)
                }
            }
        }
        return roots
    }

    @inline(__always) private mutating func touch(_ node: Int32, _ candidates: inout [Int32]) {
        if scored[Int(node)] { return }
        scored[Int(node)] = true
        score[Int(node)] = Float(Heuristics.baseScore(tree.nodes[Int(node)].tag)) + weight[Int(node)]
        candidates.append(node)
    }

    /// Whether the last visible character in the subtree is sentence-final punctuation.
    private func endsSentence(_ node: Int32) -> Bool {
        let nodes = tree.nodes
        var i = Int(node)
        var last: Int = -1
        let end = subtreeEnd(node)
        while i < end {
            if nodes[i].tag == .text && ownChars[i] > 0 && !dropped[i] { last = i }
            i += 1
        }
        guard last >= 0 else { return false }
        var k = Int(nodes[last].end) - 1
        while k >= Int(nodes[last].start), PageTree.isSpace(tree.text[k]) { k -= 1 }
        guard k >= Int(nodes[last].start) else { return false }
        let c = tree.text[k]
        return c == UInt8(ascii: ".") || c == UInt8(ascii: "!") || c == UInt8(ascii: "?") || c == UInt8(ascii: "\"")
            || (c == 0x9F && k > 0 && tree.text[k - 1] == 0xD8)  // Arabic question mark
    }

    /// One past the last index of `node`'s subtree (nodes are stored in document order).
    func subtreeEnd(_ node: Int32) -> Int {
        var n = node
        while n >= 0 {
            let next = tree.nodes[Int(n)].next
            if next >= 0 { return Int(next) }
            n = tree.nodes[Int(n)].parent
        }
        return count
    }

    // MARK: - Pass 3: clean

    /// Whether a container inside the body is furniture (readability's conditional cleaning).
    func isFurniture(_ node: Int32, root: Int32) -> Bool {
        let n = Int(node)
        let tag = tree.nodes[n].tag
        if tag == .h1 { return true }
        let total = Float(max(chars[n], 1))
        let density = Float(linkChars[n]) / total
        if tag.has(.heading) { return density > 0.5 }
        guard Heuristics.cleanedContainers.contains(tag) else { return false }
        if node == root { return false }
        let w = weight[n]
        // A block holding most of the body's plain text stays, whatever its name says.
        if density < 0.2 && Float(chars[n]) >= 0.5 * Float(chars[Int(root)]) { return false }
        if (scored[n] ? score[n] : w) < 0 && tag != .p { return true }
        if tag == .figcaption { return true }
        if tag == .figure { return paragraphCount[n] == 0 && chars[n] < 600 }
        if tag == .header && chars[n] < 300 { return true }
        if commas[n] >= 10 { return false }
        if tag == .p { return density > 0.75 && chars[n] < 200 }
        // Quotations (and embedded posts) keep their links.
        if tag == .blockquote { return w < 0 }
        let paragraphs = paragraphCount[n]
        let items = listItemCount[n]
        if items > paragraphs && tag != .ul && tag != .ol && density > 0.3 { return true }
        if w < 25 && density > 0.33 { return true }
        if w >= 25 && density > 0.5 { return true }
        return false
    }
}

/// An Aho–Corasick automaton over byte strings, each with a mask: ``masks(in:)`` gives the union
/// of the masks of every string that occurs in a value, in one pass over the value.
struct KeywordAutomaton {
    /// The column of each byte in ``next``: one per byte that occurs in some string, 0 for the rest.
    private let column: [UInt8]
    private let width: Int
    /// `next[state * width + column]`: the state after reading a byte (a complete automaton).
    private let next: [UInt16]
    /// The masks of the strings that end at each state, its suffixes' included.
    private let output: [UInt8]

    /// Builds the automaton.
    ///
    /// - Parameter strings: The strings (non-empty) and their masks.
    init(_ strings: [(key: [UInt8], value: UInt8)]) {
        var column = [UInt8](repeating: 0, count: 256)
        var width = 1
        for (bytes, _) in strings {
            for b in bytes where column[Int(b)] == 0 {
                column[Int(b)] = UInt8(width)
                width += 1
            }
        }
        // The trie: -1 is no edge.
        var edges: [Int32] = [Int32](repeating: -1, count: width)
        var output: [UInt8] = [0]
        for (bytes, mask) in strings {
            var state = 0
            for b in bytes {
                let slot = state * width + Int(column[Int(b)])
                if edges[slot] < 0 {
                    edges[slot] = Int32(output.count)
                    output.append(0)
                    edges.append(contentsOf: [Int32](repeating: -1, count: width))
                }
                state = Int(edges[slot])
            }
            output[state] |= mask
        }
        precondition(output.count < Int(UInt16.max), "too many keyword states")
        // Breadth first: each state's failure state is already complete when it is reached.
        var next = [UInt16](repeating: 0, count: output.count * width)
        var fail = [Int](repeating: 0, count: output.count)
        var queue: [Int] = []
        for c in 1..<width where edges[c] >= 0 {
            next[c] = UInt16(edges[c])
            queue.append(Int(edges[c]))
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            output[state] |= output[fail[state]]
            for c in 1..<width {
                let target = edges[state * width + c]
                if target >= 0 {
                    fail[Int(target)] = Int(next[fail[state] * width + c])
                    next[state * width + c] = UInt16(target)
                    queue.append(Int(target))
                } else {
                    next[state * width + c] = next[fail[state] * width + c]
                }
            }
        }
        self.column = column
        self.width = width
        self.next = next
        self.output = output
    }

    /// The union of the masks of the strings found in `value`.
    func masks(in value: ArraySlice<UInt8>) -> UInt8 {
        column.withUnsafeBufferPointer { column in
            next.withUnsafeBufferPointer { next in
                output.withUnsafeBufferPointer { output in
                    var state = 0
                    var found: UInt8 = 0
                    for b in value {
                        state = Int(next[state &* width &+ Int(column[Int(b)])])
                        found |= output[state]
                    }
                    return found
                }
            }
        }
    }
}
