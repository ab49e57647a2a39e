/// Removes lines that recur across many documents, so boilerplate never drives similarity.
///
/// Navigation, share buttons, newsletter prompts, comment-form text and source lines repeat on
/// every page of a site but say nothing about the story. The filter remembers a hash of each
/// normalized line and drops lines once they have recurred often enough:
///
/// - **Per site** (``filter(_:site:)``): a line is boilerplate once it has appeared in
///   `minimumOccurrences` earlier documents of the same site. A site seldom publishes one story
///   twice, so a line repeated on its pages is template text.
/// - **Corpus level** (``filter(_:)`` then ``learn(_:group:)``), when sites are unknown: a line is
///   boilerplate once it has appeared in documents of `minimumGroups` different clusters. Copies
///   of one story share their paragraphs inside one cluster; template text crosses stories.
///
/// Memory is bounded: at most `capacity` lines are remembered; when full, the lines seen least
/// are forgotten first. Not `Sendable`: one actor or task owns a filter.
public final class BoilerplateFilter {
    /// Earlier documents of one site that must contain a line before it is dropped.
    public let minimumOccurrences: Int
    /// Distinct clusters that must contain a line before it is dropped (corpus level).
    public let minimumGroups: Int
    /// The most lines remembered at once.
    public let capacity: Int

    private var siteCounts: [UInt64: UInt32] = [:]
    private var corpusGroups: [UInt64: SIMD8<UInt32>] = [:]

    /// Creates a filter.
    ///
    /// Values below 1 (2 for `minimumGroups`, 1,024 for `capacity`) are raised to that minimum.
    ///
    /// - Parameters:
    ///   - minimumOccurrences: Earlier documents of a site containing a line before it is dropped.
    ///   - minimumGroups: Distinct clusters containing a line before it is dropped (at most 8).
    ///   - capacity: The most lines remembered.
    public init(minimumOccurrences: Int = 3, minimumGroups: Int = 3, capacity: Int = 1 << 20) {
        self.minimumOccurrences = max(1, minimumOccurrences)
        self.minimumGroups = min(8, max(2, minimumGroups))
        self.capacity = max(1024, capacity)
    }

    /// The number of lines currently remembered.
    public var rememberedLineCount: Int { siteCounts.count + corpusGroups.count }

    /// Drops the paragraphs already known as boilerplate on `site`, then learns this document.
    ///
    /// - Parameters:
    ///   - paragraphs: The document's paragraphs, in order.
    ///   - site: The site (host or feed) the document comes from.
    /// - Returns: The paragraphs kept, in order (possibly none).
    public func filter(_ paragraphs: [String], site: String) -> [String] {
        let siteKey = StableHash.xxh64(site, seed: 0x5349_5445)
        var kept: [String] = []
        var learned = Set<UInt64>()
        for paragraph in paragraphs {
            guard let line = Self.lineHash(paragraph) else { continue }
            let key = Self.mix(line, siteKey)
            if let count = siteCounts[key], count >= minimumOccurrences {
                learned.insert(key)
                continue
            }
            kept.append(paragraph)
            learned.insert(key)
        }
        for key in learned {
            siteCounts[key, default: 0] &+= 1
        }
        if siteCounts.count > capacity {
            siteCounts = Self.pruned(siteCounts, capacity: capacity) { Int($0) }
        }
        return kept
    }

    /// Drops the paragraphs known as boilerplate across the corpus, without learning.
    ///
    /// - Parameters:
    ///   - paragraphs: The document's paragraphs, in order.
    /// - Returns: The paragraphs kept, in order (possibly none).
    public func filter(_ paragraphs: [String]) -> [String] {
        paragraphs.filter { paragraph in
            guard let line = Self.lineHash(paragraph) else { return false }
            guard let groups = corpusGroups[line] else { return true }
            return Self.groupCount(groups) < minimumGroups
        }
    }

    /// Records that a document's lines appeared in a cluster (corpus level).
    ///
    /// - Parameters:
    ///   - paragraphs: The document's paragraphs (all of them, before filtering).
    ///   - group: The cluster the document was assigned to.
    public func learn(_ paragraphs: [String], group: String) {
        var groupHash = UInt32(truncatingIfNeeded: StableHash.xxh64(group, seed: 0x4752_5550))
        if groupHash == 0 { groupHash = 1 }
        for paragraph in paragraphs {
            guard let line = Self.lineHash(paragraph) else { continue }
            var groups = corpusGroups[line] ?? SIMD8<UInt32>(repeating: 0)
            let count = Self.groupCount(groups)
            guard count < minimumGroups, !any(groups .== SIMD8(repeating: groupHash)) else { continue }
            groups[count] = groupHash
            corpusGroups[line] = groups
        }
        if corpusGroups.count > capacity {
            corpusGroups = Self.pruned(corpusGroups, capacity: capacity) { Self.groupCount($0) }
        }
    }

    @inline(__always)
    private static func groupCount(_ groups: SIMD8<UInt32>) -> Int {
        var count = 0
        for lane in 0..<8 where groups[lane] != 0 { count += 1 }
        return count
    }

    /// Keeps at most half the capacity, forgetting the least-seen lines first.
    private static func pruned<Value>(
        _ table: [UInt64: Value],
        capacity: Int,
        weight: (Value) -> Int
    ) -> [UInt64: Value] {
        var floor = 1
        var result = table
        while result.count > capacity / 2 {
            result = result.filter { weight($0.value) > floor }
            floor += 1
        }
        return result
    }

    @inline(__always)
    private static func mix(_ line: UInt64, _ site: UInt64) -> UInt64 {
        StableHash.avalanche(line ^ StableHash.round(0, site))
    }

    /// The hash of a paragraph's normalized tokens, or `nil` when it has none.
    static func lineHash(_ paragraph: String) -> UInt64? {
        var sink = LineHashSink()
        var copy = paragraph
        copy.withUTF8 { Tokenizer.tokenize($0, into: &sink) }
        return sink.count == 0 ? nil : StableHash.avalanche(sink.hash ^ UInt64(sink.count))
    }
}

/// Hashes the token sequence of one line.
private struct LineHashSink: TokenSink {
    var hash: UInt64 = StableHash.prime5
    var count = 0

    mutating func token(_ bytes: UnsafeBufferPointer<UInt8>, isCharacter: Bool) {
        hash ^= StableHash.round(0, StableHash.xxh64(UnsafeRawBufferPointer(bytes)))
        hash = ((hash << 27) | (hash >> 37)) &* StableHash.prime1 &+ StableHash.prime4
        count += 1
    }

    mutating func paragraphBreak() {}
}
