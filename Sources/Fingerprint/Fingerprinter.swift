// Fingerprint: text → normalized tokens → shingles → MinHash signature.
//
// 1. ``TextNormalizer`` folds each scalar (NFKD, accents and tashkeel removed, case folding,
//    Arabic letter and digit folding) while one pass over the UTF-8 bytes splits words.
// 2. Each token is hashed with ``StableHash/tokenHash(_:)`` (a wyhash-style multiply-fold hash); a
//    shingle is `shingleSize` consecutive words of one paragraph (or three consecutive characters
//    of a script without spaces), hashed by
//    ``StableHash/combine(_:)`` and reduced to 32 bits. Shingles never span a line break, so lines
//    shorter than a shingle (bylines, dates, share buttons) contribute nothing; a document made only
//    of such lines falls back to shingles that span its lines.
// 3. MinHash by fast similarity sketching (scheme version 2; Dahlgaard, Knudsen and Thorup, FOCS
//    2017): k bins (k = `permutations`), each distinct shingle hashed into one random bin per round
//    with a value that grows with the round, rounds repeated only until every bin holds a value
//    (one to three rounds for a news article). The fraction of equal bins of two signatures
//    estimates their Jaccard similarity with a variance no larger than k independent permutations,
//    in O(shingles + k log k) instead of O(shingles · k). See ``Fingerprinter/similaritySketch``.

public import Model

/// Computes MinHash signatures of documents.
///
/// A value type holding the permutation coefficients; safe to share between tasks.
public struct Fingerprinter: Sendable {
    /// Character shingle length for scripts written without spaces (part of the scheme version).
    static let characterShingleSize = 3
    /// The fewest tokens a paragraph needs to be a document's lead (headlines, bylines, "read also"
    /// lines and most template lines have fewer).
    public static let minimumLeadTokens = 20

    /// The parameters this fingerprinter was built with.
    public let parameters: FingerprintParameters
    /// The parameters recorded in every signature it computes.
    public let signatureParameters: SignatureParameters
    /// Mixed into every shingle hash before it is sketched.
    private let keySeed: UInt64

    /// Creates a fingerprinter.
    ///
    /// - Parameters:
    ///   - parameters: Shingle size, permutation count and seed.
    /// - Throws: ``FingerprintError`` when a parameter is out of range.
    public init(parameters: FingerprintParameters = FingerprintParameters()) throws(FingerprintError) {
        try parameters.validate()
        self.parameters = parameters
        self.signatureParameters = parameters.signatureParameters
        var state = parameters.seed
        self.keySeed = StableHash.splitMix64(&state)
    }

    /// The signature of a text whose paragraphs are separated by line breaks.
    ///
    /// - Parameters:
    ///   - text: The document text.
    /// - Returns: Its signature (all minima at `UInt32.max` and `shingleCount` 0 for a text
    ///   without any word).
    public func signature(of text: String) -> Signature {
        var copy = text
        return copy.withUTF8 { bytes in
            var sink = ShingleSink(shingleSize: parameters.shingleSize, estimatedBytes: bytes.count)
            defer { sink.deallocate() }
            Tokenizer.tokenize(bytes, into: &sink)
            return finish(&sink)
        }
    }

    /// The signature of a document given as paragraphs.
    ///
    /// - Parameters:
    ///   - paragraphs: The paragraphs, in order (line breaks inside one also separate paragraphs).
    /// - Returns: Its signature.
    public func signature(ofParagraphs paragraphs: [String]) -> Signature {
        var sink = shingleSink(paragraphs)
        defer { sink.deallocate() }
        return finish(&sink)
    }

    /// The signatures of a document and of its lead paragraph, computed in one pass.
    ///
    /// The lead is the first paragraph with at least ``minimumLeadTokens`` tokens (the whole
    /// document when none has). ``Clustering`` uses it to tell a copy of a story from a document
    /// that merely borrows one of its paragraphs: copies share their leads.
    ///
    /// - Parameters:
    ///   - paragraphs: The paragraphs, in order.
    /// - Returns: The document's signature and its lead's signature (same parameters).
    public func signatures(ofParagraphs paragraphs: [String]) -> (document: Signature, lead: Signature) {
        var sink = shingleSink(paragraphs)
        defer { sink.deallocate() }
        return bothSignatures(&sink)
    }

    /// The signatures of a text (paragraphs separated by line breaks) and of its lead paragraph.
    ///
    /// - Parameters:
    ///   - text: The document text.
    /// - Returns: The document's signature and its lead's signature.
    public func signatures(of text: String) -> (document: Signature, lead: Signature) {
        var copy = text
        return copy.withUTF8 { bytes in
            var sink = ShingleSink(shingleSize: parameters.shingleSize, estimatedBytes: bytes.count)
            defer { sink.deallocate() }
            Tokenizer.tokenize(bytes, into: &sink)
            sink.paragraphBreak()
            return bothSignatures(&sink)
        }
    }

    /// The 32-bit shingle hashes of a text, distinct and in first-seen order (for tests and tools).
    ///
    /// - Parameters:
    ///   - text: The document text.
    /// - Returns: The distinct shingle hashes.
    public func shingleHashes(of text: String) -> [UInt32] {
        var copy = text
        return copy.withUTF8 { bytes in
            var sink = ShingleSink(shingleSize: parameters.shingleSize, estimatedBytes: bytes.count)
            defer { sink.deallocate() }
            Tokenizer.tokenize(bytes, into: &sink)
            sink.finishShingles()
            var seen = Set<UInt32>()
            return sink.shingles.buffer().filter { seen.insert($0).inserted }
        }
    }

    /// The shingles of paragraphs, each ended by a paragraph break.
    private func shingleSink(_ paragraphs: [String]) -> ShingleSink {
        let estimated = paragraphs.reduce(0) { $0 + $1.utf8.count }
        var sink = ShingleSink(shingleSize: parameters.shingleSize, estimatedBytes: estimated)
        for paragraph in paragraphs {
            var copy = paragraph
            copy.withUTF8 { Tokenizer.tokenize($0, into: &sink) }
            sink.paragraphBreak()
        }
        return sink
    }

    private func finish(_ sink: inout ShingleSink) -> Signature {
        sink.finishShingles()
        return sketch(sink.shingles.buffer())
    }

    /// The document and lead signatures of a sink's shingles.
    ///
    /// The lead's shingles are deduplicated in place first: that only moves values inside the
    /// lead's range (the set of the document's values is unchanged), and a signature depends on
    /// that set alone. Without a long enough paragraph, the lead is the whole document.
    private func bothSignatures(_ sink: inout ShingleSink) -> (document: Signature, lead: Signature) {
        sink.finishShingles()
        guard let range = sink.lead else {
            let document = sketch(sink.shingles.buffer())
            return (document, document)
        }
        let lead = sketch(sink.shingles.buffer(range))
        return (sketch(sink.shingles.buffer()), lead)
    }

    /// The MinHash signature of a list of shingle hashes (deduplicated in place).
    private func sketch(_ shingles: UnsafeMutableBufferPointer<UInt32>) -> Signature {
        let permutations = parameters.permutations
        let distinct = Self.removeDuplicates(shingles)
        guard distinct > 0 else {
            return Signature(
                parameters: signatureParameters,
                values: [UInt64](repeating: UInt64(UInt32.max), count: permutations),
                shingleCount: 0
            )
        }
        let values = [UInt64](unsafeUninitializedCapacity: permutations) { out, initialized in
            Self.similaritySketch(
                UnsafeBufferPointer(rebasing: shingles[0..<distinct]),
                keySeed: keySeed,
                into: out
            )
            initialized = permutations
        }
        return Signature(parameters: signatureParameters, values: values, shingleCount: distinct)
    }

    /// Moves the distinct values to the front (first-seen order) and returns how many there are.
    static func removeDuplicates(_ values: UnsafeMutableBufferPointer<UInt32>) -> Int {
        let count = values.count
        guard count > 1 else { return count }
        var capacity = 16
        while capacity < count * 2 { capacity <<= 1 }
        let mask = capacity - 1
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity) { slots in
            // Slot value 0 means empty, so each key is stored plus one (a key of UInt32.max is
            // stored as 0 and handled separately).
            slots.initialize(repeating: 0)
            var distinct = 0
            var sawMaximum = false
            for index in 0..<count {
                let key = values[index]
                if key == UInt32.max {
                    if sawMaximum { continue }
                    sawMaximum = true
                } else {
                    let stored = key &+ 1
                    var slot = Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
                    var duplicate = false
                    while slots[slot] != 0 {
                        if slots[slot] == stored {
                            duplicate = true
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                    if duplicate { continue }
                    slots[slot] = stored
                }
                values[distinct] = key
                distinct += 1
            }
            return distinct
        }
    }

    /// Fast similarity sketching: `out.count` bins filled in O(keys + bins · log bins) expected.
    ///
    /// Each key x gets a base hash h₀ = `mix64(x ⊕ keySeed)` and, in round r ≥ 1, the hash
    /// hᵣ = `mix64(h₀ + r·γ)` (the SplitMix64 stream seeded by h₀, γ its golden-ratio increment). In
    /// round r < k (k bins) it goes to bin `hi32(hᵣ) · k >> 32` with value `r·2³² + lo32(hᵣ)`; in
    /// round r ≥ k to bin `(hi32(h₀) · k >> 32 + r − k) mod k`, so any key fills every bin by round
    /// 2k. A bin keeps its smallest value. Values of round r exceed those of every earlier round,
    /// so the rounds stop as soon as every bin holds a value — after about `k · ln k / keys` rounds,
    /// one to three for a news article. Two documents' bins are equal with probability of their
    /// Jaccard similarity, with a variance no larger than that of k independent permutations
    /// (Dahlgaard, Knudsen and Thorup, "Fast Similarity Sketching", FOCS 2017). Without keys, every
    /// bin is `UInt32.max`.
    static func similaritySketch(
        _ keys: UnsafeBufferPointer<UInt32>,
        keySeed: UInt64,
        into out: UnsafeMutableBufferPointer<UInt64>
    ) {
        let bins = out.count
        guard bins > 0 else { return }
        guard !keys.isEmpty else {
            out.initialize(repeating: UInt64(UInt32.max))
            return
        }
        let empty = UInt64.max
        out.initialize(repeating: empty)
        let binCount = UInt64(bins)
        let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: keys.count) { bases in
            // Round 0, which also computes every key's base hash; branch-free (which value is
            // smaller is a coin flip the branch predictor would miss half the time).
            for (index, key) in keys.enumerated() {
                let hash = StableHash.mix64(UInt64(key) ^ keySeed)
                bases[index] = hash
                let bin = Int(truncatingIfNeeded: ((hash >> 32) &* binCount) >> 32)
                out[bin] = min(out[bin], hash & 0xFFFF_FFFF)
            }
            var filled = 0
            for value in out where value != empty { filled &+= 1 }
            var round: UInt64 = 1
            while filled < bins, round < 2 * binCount {
                // Bins filled in an earlier round hold smaller values than any of this round.
                let floor = round << 32
                let step = round &* gamma
                if round < binCount {
                    for base in bases {
                        let hash = StableHash.mix64(base &+ step)
                        let bin = Int(truncatingIfNeeded: ((hash >> 32) &* binCount) >> 32)
                        // Branch-free: a bin filled in an earlier round is below `value` anyway.
                        let current = out[bin]
                        filled &+= current == empty ? 1 : 0
                        out[bin] = min(current, floor | (hash & 0xFFFF_FFFF))
                    }
                } else {
                    for base in bases {
                        let hash = StableHash.mix64(base &+ step)
                        let start = ((base >> 32) &* binCount) >> 32
                        let bin = Int(truncatingIfNeeded: (start &+ round &- binCount) % binCount)
                        let current = out[bin]
                        filled &+= current == empty ? 1 : 0
                        out[bin] = min(current, floor | (hash & 0xFFFF_FFFF))
                    }
                }
                round += 1
            }
        }
    }
}

/// A growable buffer of plain values that callers free explicitly (no uniqueness checks, no
/// reference counting in the token loop).
struct ScratchBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow() }
        base[count] = value
        count &+= 1
    }

    @inline(never)
    private mutating func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }

    /// The values `range` (all of them by default).
    func buffer(_ range: Range<Int>? = nil) -> UnsafeMutableBufferPointer<Element> {
        let range = range ?? 0..<count
        return UnsafeMutableBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    func deallocate() {
        base.deallocate()
    }
}

/// Turns tokens into 32-bit shingle hashes. Its buffers are freed by ``deallocate()``.
struct ShingleSink: TokenSink {
    let shingleSize: Int
    /// Every token hash of the document, in order, as its XXH64 round (what
    /// ``StableHash/combine(rounds:count:)`` takes).
    var tokens: ScratchBuffer<UInt64>
    /// Shingle hashes (with repeats).
    var shingles: ScratchBuffer<UInt32>
    /// Index in `tokens` where the current run (same paragraph, same token kind) starts.
    var runStart = 0
    var runIsCharacter = false
    /// Index in `shingles` where the current paragraph's shingles start.
    var paragraphStart = 0
    /// Index in `tokens` where the current paragraph starts.
    var paragraphTokenStart = 0
    /// The shingles of the lead paragraph, once found.
    var lead: Range<Int>?
    var finished = false

    init(shingleSize: Int, estimatedBytes: Int) {
        self.shingleSize = shingleSize
        tokens = ScratchBuffer(capacity: estimatedBytes / 5 + 8)
        shingles = ScratchBuffer(capacity: estimatedBytes / 5 + 8)
    }

    func deallocate() {
        tokens.deallocate()
        shingles.deallocate()
    }

    @inline(__always)
    static func reduce(_ hash: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    @inline(__always)
    mutating func token(_ bytes: UnsafeBufferPointer<UInt8>, isCharacter: Bool) {
        if isCharacter != runIsCharacter {
            runStart = tokens.count
            runIsCharacter = isCharacter
        }
        tokens.append(StableHash.round(0, StableHash.tokenHash(UnsafeRawBufferPointer(bytes))))
        let size = isCharacter ? Fingerprinter.characterShingleSize : shingleSize
        let end = tokens.count
        if end - runStart >= size {
            let hash = StableHash.combine(rounds: tokens.base + (end - size), count: size)
            shingles.append(Self.reduce(hash))
        }
    }

    mutating func paragraphBreak() {
        runStart = tokens.count
        if lead == nil, tokens.count - paragraphTokenStart >= Fingerprinter.minimumLeadTokens,
            shingles.count > paragraphStart
        {
            lead = paragraphStart..<shingles.count
        }
        paragraphStart = shingles.count
        paragraphTokenStart = tokens.count
    }

    /// Falls back to shingles spanning line breaks when no paragraph was long enough.
    mutating func finishShingles() {
        guard !finished else { return }
        finished = true
        paragraphBreak()
        guard shingles.count == 0, tokens.count > 0 else { return }
        let size = min(shingleSize, tokens.count)
        for end in size...tokens.count {
            let hash = StableHash.combine(rounds: tokens.base + (end - size), count: size)
            shingles.append(Self.reduce(hash))
        }
    }
}
