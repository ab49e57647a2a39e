// Clustering: LSH band index → verified candidates → incremental clusters.
//
// Each indexed document keeps a compact copy of its signature (the low 16 bits of each minimum,
// b-bit MinHash: the estimate's bias is (1 − J)/65,536) for verification, its shingle count (for
// containment), 64 values of its lead paragraph's signature and one chain link per band. A band's key
// is a 64-bit hash of its rows; one open-addressing table maps (band, key) fingerprints (36 bits: the
// band index and at least 29 hash bits, so that unrelated documents almost never share a bucket)
// to the most recent document of that bucket, and the per-band links chain older ones, so an insert is O(bands)
// and a bucket is scanned newest first, at most `maximumBucketScan` deep. Each band's entry is a
// random cache line of a large table, so an operation costs about one memory latency per band: the
// table lives on transparent huge pages (``BucketTable``), a document's home entries are all loaded
// before any is examined (their misses overlap), and growth extends the table in place (reserved
// address space) and rehashes it in table order, so no second table is zeroed or filled. The
// per-document columns (``SlotColumn``) grow in place too, so no signature or link is ever copied.
// Growing, mostly first touches of fresh memory, still costs a good part of the time of an index
// built one document at a time; callers that know the size (a restore) call
// ``ClusterIndex/reserveCapacity(documents:)`` first.
//
// Lead bands (``ClusteringParameters/leadBands``) band the first values of the lead paragraph's
// signature the same way, in the same table: copies that share their story's lead but little else
// are found there, so the signature needs fewer bands (28 instead of 51 by default), and an
// operation probes fewer random entries. A document without a lead has no lead-band entries (its
// keys are 0 there).
//
// A new document's candidates are the documents sharing at least one bucket. Each is verified by the
// estimated Jaccard similarity (the fraction of equal minima) and, for truncated copies, the estimated
// containment, guarded by the leads (a copy shares its story's lead, a borrower does not); a shared
// lead also verifies a heavily edited copy. The best verified candidate (by similarity plus lead
// similarity, so a copy carrying a paragraph of another story goes to its own story's cluster) whose
// cluster founder also resembles the document decides the cluster. Clusters never merge with each
// other, so one ambiguous document cannot chain two stories.

public import Model

/// Where ``ClusterIndex/assign(documentID:signature:)`` placed a document.
public struct ClusterAssignment: Sendable, Hashable {
    /// The cluster: the document id of its founding member.
    public var clusterID: String
    /// Estimated Jaccard similarity to the matched document (1 for a new cluster).
    public var similarity: Double
    /// Whether the document founded a new cluster.
    public var isNewCluster: Bool
    /// The indexed document it matched best, when it joined an existing cluster.
    public var matchedDocumentID: String?

    /// Creates an assignment.
    ///
    /// - Parameters:
    ///   - clusterID: The cluster id.
    ///   - similarity: The similarity to the matched document.
    ///   - isNewCluster: Whether a new cluster was founded.
    ///   - matchedDocumentID: The matched document.
    public init(clusterID: String, similarity: Double, isNewCluster: Bool, matchedDocumentID: String?) {
        self.clusterID = clusterID
        self.similarity = similarity
        self.isNewCluster = isNewCluster
        self.matchedDocumentID = matchedDocumentID
    }
}

/// An incremental near-duplicate index: assigns each arriving document to a cluster.
///
/// Not `Sendable`: one actor or task owns an index. Memory is about 1.2 KB per indexed document
/// (128 permutations, 28 signature and 8 lead bands, the LSH table included); the LSH table
/// reserves 32 GiB of address space (not memory) to grow in place, and the per-document columns
/// about 76 GiB (room for 2²⁷ documents; beyond that they move, as arrays would). It holds at most
/// ``maximumDocuments`` at once. ``evict(documentID:)`` implements a retention window.
public final class ClusterIndex {
    /// The clustering parameters.
    public let parameters: ClusteringParameters
    /// The parameters every signature must carry.
    public let signatureParameters: SignatureParameters
    /// LSH bands.
    public let bands: Int
    /// Rows per band.
    public let rows: Int
    /// Extra bands over the lead signature (``ClusteringParameters/leadBands``).
    public let leadBands: Int
    /// All bands: the signature's, then the lead's (the width of the per-slot links).
    private let probeBands: Int

    private let permutations: Int
    /// Lead-signature values kept per document (a prefix of the permutations).
    private let leadValues: Int
    /// Bits of a bucket fingerprint that hold the band index (``bandKeys(_:into:)``).
    private let bandBits: Int
    private let noSlot = UInt32.max

    // Per slot (one slot per indexed document; freed slots are reused).
    // Per slot (one slot per indexed document; freed slots are reused), in columns that grow in
    // place (``SlotColumn``).
    private let minima: SlotColumn<UInt16>
    private let links: SlotColumn<UInt32>
    private let shingleCounts = SlotColumn<UInt32>(width: 1)
    private let leadMinima: SlotColumn<UInt16>
    private let leadCounts = SlotColumn<UInt32>(width: 1)
    private let slotClusters = SlotColumn<UInt32>(width: 1)
    private var slotIDs: [String] = []
    private let visitMarks = SlotColumn<UInt32>(width: 1)
    private var freeSlots: [UInt32] = []
    /// Slots by document id (the ids themselves are `slotIDs`).
    private var slotByID: IDMap
    private var visitGeneration: UInt32 = 0

    // Buckets: open addressing, entry = fingerprint << slotBits | (head slot + 1); 0 = empty.
    private var buckets: BucketTable
    private var bucketMask: Int
    /// Non-zero entries (buckets with at least one member).
    private var usedBuckets = 0
    /// Per-call scratch, allocated once (an index serves one caller at a time): a document's
    /// compact signature and lead (``permutations`` values each), its band keys and their bucket
    /// positions (``probeBands`` each).
    private let scratchCompact: UnsafeMutablePointer<UInt16>
    private let scratchLead: UnsafeMutablePointer<UInt16>
    private let scratchKeys: UnsafeMutablePointer<UInt64>
    private let scratchPositions: UnsafeMutablePointer<Int>
    /// Keeps the touching loads of ``touchHomes(_:count:)`` and the id maps observable.
    private var touchedEntries: UInt64 = 0

    // Clusters.
    private var clusterIDs: [String] = []
    private var clusterFounders: [UInt32] = []
    private var clusterSizes: [UInt32] = []
    private var freeClusters: [UInt32] = []
    /// Clusters by cluster id (the ids themselves are `clusterIDs`), with the seed of `slotByID`,
    /// so that a founder's id hash serves both.
    private var clusterByID: IDMap

    /// Creates an empty index.
    ///
    /// - Parameters:
    ///   - parameters: Threshold and banding.
    ///   - signatureParameters: The parameters of the signatures it will index.
    /// - Throws: ``ClusteringError`` when the parameters are invalid.
    public init(
        parameters: ClusteringParameters = ClusteringParameters(),
        signatureParameters: SignatureParameters
    ) throws(ClusteringError) {
        let banding = try parameters.banding(permutations: signatureParameters.permutations)
        self.parameters = parameters
        self.signatureParameters = signatureParameters
        self.permutations = signatureParameters.permutations
        self.leadValues = min(64, signatureParameters.permutations)
        self.bands = banding.bands
        self.rows = banding.rows
        self.leadBands = parameters.leadBands
        let probeBands = banding.bands + parameters.leadBands
        self.probeBands = probeBands
        self.bandBits = probeBands > 1 ? Int.bitWidth - (probeBands - 1).leadingZeroBitCount : 0
        self.minima = SlotColumn(width: signatureParameters.permutations)
        self.links = SlotColumn(width: probeBands)
        self.leadMinima = SlotColumn(width: min(64, signatureParameters.permutations))
        self.scratchCompact = .allocate(capacity: signatureParameters.permutations)
        self.scratchLead = .allocate(capacity: signatureParameters.permutations)
        self.scratchKeys = .allocate(capacity: probeBands)
        self.scratchPositions = .allocate(capacity: probeBands)
        self.buckets = BucketTable(count: 1024, growable: true)
        self.bucketMask = 1023
        let seed = UInt64.random(in: .min ... .max)
        self.slotByID = IDMap(seed: seed)
        self.clusterByID = IDMap(seed: seed)
    }

    deinit {
        scratchCompact.deallocate()
        scratchLead.deallocate()
        scratchKeys.deallocate()
        scratchPositions.deallocate()
    }

    /// The number of indexed documents.
    public var documentCount: Int { slotByID.count }

    /// Sizes the index for `documents` indexed documents, so that indexing that many does not grow
    /// (and rehash) the bucket table or the id maps (the per-document columns never move), and
    /// commits the memory of the bucket table and the columns for them now, in a few calls, rather
    /// than one page fault at a time as operations first touch it (where the kernel supports
    /// `MADV_POPULATE_WRITE`).
    ///
    /// Optional, the index grows by itself; worthwhile before restoring a known number of documents
    /// or indexing a corpus of known size. The memory is resident from then on, as if that many
    /// documents were held. Never shrinks anything.
    ///
    /// - Parameters:
    ///   - documents: The number of documents expected in the index at once.
    public func reserveCapacity(documents: Int) {
        guard documents > 0 else { return }
        slotIDs.reserveCapacity(documents)
        clusterIDs.reserveCapacity(documents)
        clusterFounders.reserveCapacity(documents)
        clusterSizes.reserveCapacity(documents)
        minima.reserve(documents * permutations)
        links.reserve(documents * probeBands)
        leadMinima.reserve(documents * leadValues)
        for column in [shingleCounts, leadCounts, slotClusters, visitMarks] { column.reserve(documents) }
        slotByID.reserveCapacity(documents)
        clusterByID.reserveCapacity(documents)
        var capacity = buckets.count
        while documents * probeBands * 10 > capacity * 8 { capacity *= 2 }
        if capacity > buckets.count { rebuildBuckets(minimumCapacity: capacity) }
        buckets.populate()
    }

    /// Entries of the LSH bucket table (for tests: it grows with the documents held, not with
    /// the documents ever indexed).
    var bucketCapacity: Int { buckets.count }

    /// Bucket entries in use (for tests: eviction takes a document's entries of every band out).
    var occupiedBuckets: Int { usedBuckets }

    /// Bucket members skipped because their rows of the band differ: keys of one band whose
    /// fingerprints coincide (for tests: the fingerprints are wide enough to make it rare).
    private(set) var fingerprintCoincidences = 0

    /// The number of clusters with at least one indexed document.
    public var clusterCount: Int { clusterByID.count }

    /// Whether a document is indexed.
    ///
    /// - Parameters:
    ///   - documentID: The document id.
    /// - Returns: `true` when it is indexed.
    public func contains(documentID: String) -> Bool {
        slot(of: documentID, hash: slotByID.hash(documentID)) != nil
    }

    /// The cluster of an indexed document.
    ///
    /// - Parameters:
    ///   - documentID: The document id.
    /// - Returns: Its cluster id, or `nil` when it is not indexed.
    public func clusterID(of documentID: String) -> String? {
        guard let slot = slot(of: documentID, hash: slotByID.hash(documentID)) else { return nil }
        return clusterIDs[Int(slotClusters[Int(slot)])]
    }

    /// Places a newly arrived document in a cluster and indexes it.
    ///
    /// With a `lead` signature (``Fingerprint``'s signature of the document's lead paragraph), a match
    /// also requires each document's lead to be contained in the other: copies of a story share
    /// their lead, while a document that borrows a paragraph (or a whole short story) from another
    /// keeps its own lead. Documents indexed without a lead skip that check. Two documents whose
    /// leads are the same paragraph match from ``ClusteringParameters/minimumJaccard`` on (a heavily
    /// edited copy), and the candidate sharing the lead is preferred over one that is merely more
    /// similar (the source of a paragraph the document carries).
    ///
    /// - Parameters:
    ///   - documentID: The document id (becomes the cluster id if it founds a cluster).
    ///   - signature: Its signature.
    ///   - lead: The signature of its lead paragraph, if known.
    /// - Returns: The assignment.
    /// - Throws: ``ClusteringError/incompatibleSignature(documentID:expected:found:)`` for a
    ///   signature computed otherwise, ``ClusteringError/duplicateDocument(_:)`` for an indexed id.
    public func assign(
        documentID: String,
        signature: Signature,
        lead: Signature? = nil
    ) throws(ClusteringError) -> ClusterAssignment {
        let idHash = slotByID.hash(documentID)
        try checkValues(documentID: documentID, signature: signature)
        if let lead { try checkLead(documentID: documentID, lead: lead) }
        let compact = UnsafePointer(scratchCompact)
        let keys = UnsafePointer(scratchKeys)
        let positions = UnsafePointer(scratchPositions)
        Self.compactValues(signature.values, into: scratchCompact)
        var leadCompact: UnsafePointer<UInt16>?
        if let lead {
            Self.compactValues(lead.values, into: scratchLead)
            leadCompact = UnsafePointer(scratchLead)
        }
        let leadCount = lead?.shingleCount ?? 0
        // A document without shingles has no band keys (no buckets).
        let keyCount = signature.shingleCount > 0 ? probeBands : 0
        if keyCount > 0 { bandKeys(compact, lead: leadCount > 0 ? leadCompact : nil, into: scratchKeys) }
        // The bands' home entries and both id maps' entries for this id are all needed below:
        // start their misses together, before the id lookup waits for its own.
        touchHomes(keys, count: keyCount)
        touchedEntries |= slotByID.touch(hash: idHash) | clusterByID.touch(hash: idHash)
        guard slot(of: documentID, hash: idHash) == nil else { throw .duplicateDocument(documentID) }
        var best: (slot: UInt32, similarity: Double)?
        if keyCount > 0 {
            // One probe per band serves both the query and the insert.
            reserveBuckets(keyCount)
            probe(keys, count: keyCount, into: scratchPositions)
            best = bestMatch(
                compact,
                shingleCount: signature.shingleCount,
                lead: leadCount > 0 ? leadCompact : nil,
                leadCount: leadCount,
                positions: positions
            )
        }
        let slot = allocateSlot(
            documentID: documentID,
            hash: idHash,
            compact: compact,
            shingleCount: signature.shingleCount
        )
        storeLead(slot: slot, lead: leadCompact, count: leadCount)
        if let best {
            let cluster = slotClusters[Int(best.slot)]
            attach(slot: slot, cluster: cluster)
            insert(slot: slot, keys: keys, count: keyCount, positions: positions)
            return ClusterAssignment(
                clusterID: clusterIDs[Int(cluster)],
                similarity: best.similarity,
                isNewCluster: false,
                matchedDocumentID: slotIDs[Int(best.slot)]
            )
        }
        let cluster = createCluster(id: documentID, hash: idHash)
        clusterFounders[Int(cluster)] = slot
        attach(slot: slot, cluster: cluster)
        insert(slot: slot, keys: keys, count: keyCount, positions: positions)
        return ClusterAssignment(clusterID: documentID, similarity: 1, isNewCluster: true, matchedDocumentID: nil)
    }

    /// Re-indexes a document with its known cluster, without deciding anything (after a restart).
    ///
    /// Restore documents in their original arrival order so that buckets scan newest first.
    ///
    /// - Parameters:
    ///   - documentID: The document id.
    ///   - signature: Its stored signature.
    ///   - lead: Its stored lead signature, if any.
    ///   - clusterID: Its stored cluster id.
    /// - Throws: ``ClusteringError`` for an incompatible signature or an already indexed id.
    public func restore(
        documentID: String,
        signature: Signature,
        lead: Signature? = nil,
        clusterID: String
    ) throws(ClusteringError) {
        let idHash = slotByID.hash(documentID)
        try check(documentID: documentID, hash: idHash, signature: signature)
        if let lead { try checkLead(documentID: documentID, lead: lead) }
        let compact = UnsafePointer(scratchCompact)
        Self.compactValues(signature.values, into: scratchCompact)
        let slot = allocateSlot(
            documentID: documentID,
            hash: idHash,
            compact: compact,
            shingleCount: signature.shingleCount
        )
        let leadCompact = UnsafePointer(scratchLead)
        if let lead {
            Self.compactValues(lead.values, into: scratchLead)
            storeLead(slot: slot, lead: leadCompact, count: lead.shingleCount)
        } else {
            storeLead(slot: slot, lead: nil, count: 0)
        }
        let clusterHash = documentID == clusterID ? idHash : clusterByID.hash(clusterID)
        let cluster =
            self.cluster(of: clusterID, hash: clusterHash) ?? createCluster(id: clusterID, hash: clusterHash)
        if documentID == clusterID {
            clusterFounders[Int(cluster)] = slot
        }
        attach(slot: slot, cluster: cluster)
        if signature.shingleCount > 0 {
            // The stored lead count decides, as in evict(documentID:), so the two agree on the keys.
            bandKeys(compact, lead: leadCounts[Int(slot)] > 0 ? leadCompact : nil, into: scratchKeys)
            reserveBuckets(probeBands)
            touchHomes(scratchKeys, count: probeBands)
            probe(scratchKeys, count: probeBands, into: scratchPositions)
            insert(slot: slot, keys: scratchKeys, count: probeBands, positions: scratchPositions)
        }
    }

    /// Removes a document from the index (retention window).
    ///
    /// Its cluster keeps its id; later documents can still join it through its remaining members.
    /// Unknown ids are ignored.
    ///
    /// - Parameters:
    ///   - documentID: The document id.
    public func evict(documentID: String) {
        let idHash = slotByID.hash(documentID)
        guard let slot = slot(of: documentID, hash: idHash) else { return }
        slotByID.remove(hash: idHash, value: slot)
        let index = Int(slot)
        if shingleCounts[index] > 0 {
            // The keys come from the stored values themselves.
            let hasLead = leadCounts[index] > 0
            bandKeys(
                minima.base + index * permutations,
                lead: hasLead ? UnsafePointer(leadMinima.base + index * leadValues) : nil,
                into: scratchKeys
            )
            unlink(slot: slot, keys: scratchKeys, count: probeBands)
        }
        let cluster = Int(slotClusters[index])
        if clusterFounders[cluster] == slot { clusterFounders[cluster] = noSlot }
        clusterSizes[cluster] -= 1
        if clusterSizes[cluster] == 0 {
            clusterByID.remove(hash: clusterByID.hash(clusterIDs[cluster]), value: UInt32(cluster))
            clusterIDs[cluster] = ""
            freeClusters.append(UInt32(cluster))
        }
        slotIDs[index] = ""
        freeSlots.append(slot)
    }

    /// Estimated Jaccard similarity of two signatures.
    ///
    /// - Parameters:
    ///   - first: One signature.
    ///   - second: The other.
    /// - Returns: The fraction of equal minima.
    /// - Throws: ``ClusteringError/incompatibleSignature(documentID:expected:found:)`` when their
    ///   parameters differ.
    public static func similarity(_ first: Signature, _ second: Signature) throws(ClusteringError) -> Double {
        guard first.parameters == second.parameters, first.values.count == second.values.count else {
            throw .incompatibleSignature(documentID: "", expected: first.parameters, found: second.parameters)
        }
        guard !first.values.isEmpty, first.shingleCount > 0, second.shingleCount > 0 else { return 0 }
        var equal = 0
        for index in first.values.indices where first.values[index] == second.values[index] { equal += 1 }
        return Double(equal) / Double(first.values.count)
    }

    // MARK: - Decision

    private func check(documentID: String, hash: UInt64, signature: Signature) throws(ClusteringError) {
        try checkValues(documentID: documentID, signature: signature)
        guard slot(of: documentID, hash: hash) == nil else { throw .duplicateDocument(documentID) }
    }

    /// Checks that a signature was computed with the index's parameters and has their values.
    private func checkValues(documentID: String, signature: Signature) throws(ClusteringError) {
        guard signature.parameters == signatureParameters else {
            throw .incompatibleSignature(
                documentID: documentID,
                expected: signatureParameters,
                found: signature.parameters
            )
        }
        guard signature.values.count == permutations else {
            throw .malformedSignature(
                documentID: documentID,
                expectedValues: permutations,
                foundValues: signature.values.count
            )
        }
    }

    private func checkLead(documentID: String, lead: Signature) throws(ClusteringError) {
        guard lead.parameters == signatureParameters else {
            throw .incompatibleSignature(documentID: documentID, expected: signatureParameters, found: lead.parameters)
        }
        guard lead.values.count == permutations else {
            throw .malformedSignature(
                documentID: documentID,
                expectedValues: permutations,
                foundValues: lead.values.count
            )
        }
    }

    /// Stores a slot's lead prefix and count (`UInt16.max` values and 0 without a lead), in place.
    private func storeLead(slot: UInt32, lead: UnsafePointer<UInt16>?, count: Int) {
        let index = Int(slot)
        let leadCount = UInt32(clamping: lead == nil ? 0 : count)
        if index * leadValues >= leadMinima.count {
            leadMinima.append(UInt16.max, repetitions: leadValues)
            leadCounts.append(leadCount)
        } else {
            leadCounts[index] = leadCount
        }
        let start = index * leadValues
        if let lead {
            for offset in 0..<leadValues { leadMinima[start + offset] = lead[offset] }
        } else {
            for offset in 0..<leadValues { leadMinima[start + offset] = UInt16.max }
        }
    }

    /// The estimated Jaccard similarity of this document's lead and an indexed document's lead, or
    /// `nil` when either lead is unknown.
    private func leadSimilarity(lead: UnsafePointer<UInt16>?, leadCount: Int, slot: Int) -> Double? {
        guard let lead, leadCount > 0, leadCounts[slot] > 0 else { return nil }
        return agreement(lead, 0..<leadValues, leadMinima, slot * leadValues)
    }

    /// Whether a candidate of Jaccard similarity `similarity` and lead similarity `leadSimilarity`
    /// verifies: a Jaccard or containment match whose leads agree, or a shared lead.
    private func verifies(
        _ compact: UnsafePointer<UInt16>,
        shingleCount: Int,
        lead: UnsafePointer<UInt16>?,
        leadCount: Int,
        slot: Int,
        similarity: Double,
        leadSimilarity: Double?
    ) -> Bool {
        if let leadSimilarity, leadSimilarity >= ClusteringParameters.sharedLeadSimilarity,
            similarity >= parameters.minimumJaccard
        {
            return true
        }
        guard matches(similarity: similarity, shingleCount: shingleCount, other: Int(shingleCounts[slot])) else {
            return false
        }
        return similarity >= parameters.leadCheckCeiling
            || leadsAgree(
                compact,
                shingleCount: shingleCount,
                lead: lead,
                leadCount: leadCount,
                slot: slot,
                leadSimilarity: leadSimilarity
            )
    }

    /// Whether the two documents' leads agree: similar leads, or each lead contained in the other
    /// document (true when a lead is unknown).
    ///
    /// Containment estimated from MinHash has false negatives on long documents (few equal minima)
    /// but practically no false positives, so it only ever rescues pairs whose leads differ.
    private func leadsAgree(
        _ compact: UnsafePointer<UInt16>,
        shingleCount: Int,
        lead: UnsafePointer<UInt16>?,
        leadCount: Int,
        slot: Int,
        leadSimilarity: Double?
    ) -> Bool {
        let otherLeadCount = Int(leadCounts[slot])
        guard let lead, let leadSimilarity else { return true }
        if leadSimilarity >= parameters.leadSimilarity {
            return true
        }
        let otherCount = Int(shingleCounts[slot])
        // This lead against the other document (all permutations).
        let forward = agreement(lead, 0..<permutations, minima, slot * permutations)
        // The other's lead against this document (the stored prefix).
        let backward = agreement(compact, 0..<leadValues, leadMinima, slot * leadValues)
        return containment(forward, part: leadCount, whole: otherCount) >= parameters.leadContainment
            && containment(backward, part: otherLeadCount, whole: shingleCount) >= parameters.leadContainment
    }

    /// The estimated share of a part's shingles found in a whole, from their estimated Jaccard.
    private func containment(_ jaccard: Double, part: Int, whole: Int) -> Double {
        guard part > 0 else { return 0 }
        return jaccard * Double(part + whole) / (1 + jaccard) / Double(part)
    }

    /// The fraction of equal values between `values[range]` and `stored[base + range]`.
    private func agreement(
        _ values: UnsafePointer<UInt16>,
        _ range: Range<Int>,
        _ stored: SlotColumn<UInt16>,
        _ base: Int
    ) -> Double {
        var equal = 0
        for index in range where values[index] == stored[base + index] { equal += 1 }
        return Double(equal) / Double(range.count)
    }

    /// The best verified candidate whose cluster accepts the document, if any.
    ///
    /// Candidates rank by Jaccard similarity plus lead similarity: a copy that carries a paragraph
    /// of another story can verify against both stories, and its lead tells which one it tells.
    private func bestMatch(
        _ compact: UnsafePointer<UInt16>,
        shingleCount: Int,
        lead: UnsafePointer<UInt16>?,
        leadCount: Int,
        positions: UnsafePointer<Int>
    ) -> (slot: UInt32, similarity: Double)? {
        visitGeneration &+= 1
        if visitGeneration == 0 {
            for index in 0..<visitMarks.count { visitMarks[index] = 0 }
            visitGeneration = 1
        }
        var accepted: [(slot: UInt32, similarity: Double, score: Double)] = []
        let scanLimit = parameters.maximumBucketScan
        for band in 0..<probeBands {
            let position = positions[band]
            guard position >= 0 else { continue }
            let entry = buckets.base[position]
            guard entry != 0 else { continue }
            var slot = Self.headSlot(entry)
            var scanned = 0
            while slot != noSlot, scanned < scanLimit {
                let index = Int(slot)
                // A bucket is a fingerprint: a member whose rows of this band differ came in through
                // another key of the same fingerprint, and is no candidate (one load, where the
                // verification below costs several).
                if !sharesRows(band: band, slot: index, compact, lead: lead) {
                    fingerprintCoincidences += 1
                } else if visitMarks[index] != visitGeneration {
                    visitMarks[index] = visitGeneration
                    let similarity = jaccard(compact, slot: index)
                    let leads = leadSimilarity(lead: lead, leadCount: leadCount, slot: index)
                    if verifies(
                        compact,
                        shingleCount: shingleCount,
                        lead: lead,
                        leadCount: leadCount,
                        slot: index,
                        similarity: similarity,
                        leadSimilarity: leads
                    ) {
                        accepted.append((slot, similarity, similarity + (leads ?? 0)))
                    }
                }
                slot = links[index * probeBands + band]
                scanned += 1
            }
        }
        guard !accepted.isEmpty else { return nil }
        accepted.sort {
            if $0.score != $1.score { return $0.score > $1.score }
            if $0.similarity != $1.similarity { return $0.similarity > $1.similarity }
            return $0.slot < $1.slot
        }
        for candidate in accepted {
            let cluster = Int(slotClusters[Int(candidate.slot)])
            let founder = clusterFounders[cluster]
            if founder == noSlot || founder == candidate.slot
                || jaccard(compact, slot: Int(founder)) >= parameters.founderThreshold
            {
                return (candidate.slot, candidate.similarity)
            }
        }
        return nil
    }

    /// Whether the indexed document in `slot` has the same rows as this document in `band` (a
    /// signature band, or a lead band past ``bands``).
    @inline(__always)
    private func sharesRows(
        band: Int,
        slot: Int,
        _ compact: UnsafePointer<UInt16>,
        lead: UnsafePointer<UInt16>?
    ) -> Bool {
        if band < bands {
            let stored = minima.base + slot * permutations + band * rows
            let start = band * rows
            for row in 0..<rows where stored[row] != compact[start + row] { return false }
            return true
        }
        guard let lead else { return false }
        let start = (band - bands) * rows
        let stored = leadMinima.base + slot * leadValues + start
        for row in 0..<rows where stored[row] != lead[start + row] { return false }
        return true
    }

    private func matches(similarity: Double, shingleCount: Int, other: Int) -> Bool {
        if similarity >= parameters.threshold { return true }
        guard similarity >= parameters.minimumJaccard, shingleCount > 0, other > 0 else { return false }
        let intersection = similarity * Double(shingleCount + other) / (1 + similarity)
        return intersection / Double(min(shingleCount, other)) >= parameters.containmentThreshold
    }

    private func jaccard(_ compact: UnsafePointer<UInt16>, slot: Int) -> Double {
        let stored = minima.base + slot * permutations
        var equal = 0
        let raw = UnsafeRawPointer(compact)
        let storedRaw = UnsafeRawPointer(stored)
        var index = 0
        var lanes = SIMD16<UInt16>()
        while index + 16 <= permutations {
            let a = raw.loadUnaligned(fromByteOffset: index * 2, as: SIMD16<UInt16>.self)
            let b = storedRaw.loadUnaligned(fromByteOffset: index * 2, as: SIMD16<UInt16>.self)
            lanes &+= SIMD16<UInt16>(repeating: 1).replacing(with: 0, where: a .!= b)
            index += 16
        }
        for lane in 0..<16 { equal += Int(lanes[lane]) }
        while index < permutations {
            if compact[index] == stored[index] { equal += 1 }
            index += 1
        }
        return Double(equal) / Double(permutations)
    }

    // MARK: - Storage

    /// The slot of an indexed document, by its id and the id's hash.
    private func slot(of documentID: String, hash: UInt64) -> UInt32? {
        slotByID.find(hash: hash) { Self.sameID(slotIDs[Int($0)], documentID) }
    }

    /// The index of a cluster, by its id and the id's hash.
    private func cluster(of clusterID: String, hash: UInt64) -> UInt32? {
        clusterByID.find(hash: hash) { Self.sameID(clusterIDs[Int($0)], clusterID) }
    }

    /// Whether two ids have the same UTF-8 bytes (the id maps' notion of equality).
    private static func sameID(_ first: String, _ second: String) -> Bool {
        var first = first
        var second = second
        return first.withUTF8 { a in second.withUTF8 { b in a.elementsEqual(b) } }
    }

    /// Writes the low 16 bits of each value to `compact` (room for `values.count`).
    private static func compactValues(_ values: [UInt64], into compact: UnsafeMutablePointer<UInt16>) {
        values.withUnsafeBufferPointer { values in
            for index in values.indices { compact[index] = UInt16(truncatingIfNeeded: values[index]) }
        }
    }

    private func allocateSlot(
        documentID: String,
        hash: UInt64,
        compact: UnsafePointer<UInt16>,
        shingleCount: Int
    ) -> UInt32 {
        let slot: UInt32
        if let free = freeSlots.popLast() {
            slot = free
            let index = Int(slot)
            for offset in 0..<permutations { minima[index * permutations + offset] = compact[offset] }
            for band in 0..<probeBands { links[index * probeBands + band] = noSlot }
            shingleCounts[index] = UInt32(clamping: shingleCount)
            slotIDs[index] = documentID
            visitMarks[index] = 0
        } else {
            precondition(slotIDs.count < Self.maximumDocuments, "a ClusterIndex holds at most 268,435,454 documents")
            slot = UInt32(slotIDs.count)
            minima.append(contentsOf: UnsafeBufferPointer(start: compact, count: permutations))
            links.append(noSlot, repetitions: probeBands)
            shingleCounts.append(UInt32(clamping: shingleCount))
            slotClusters.append(0)
            slotIDs.append(documentID)
            visitMarks.append(0)
        }
        slotByID.insert(hash: hash, value: slot)
        return slot
    }

    private func createCluster(id: String, hash: UInt64) -> UInt32 {
        let cluster: UInt32
        if let free = freeClusters.popLast() {
            cluster = free
            clusterIDs[Int(cluster)] = id
            clusterFounders[Int(cluster)] = noSlot
            clusterSizes[Int(cluster)] = 0
        } else {
            cluster = UInt32(clusterIDs.count)
            clusterIDs.append(id)
            clusterFounders.append(noSlot)
            clusterSizes.append(0)
        }
        clusterByID.insert(hash: hash, value: cluster)
        return cluster
    }

    private func attach(slot: UInt32, cluster: UInt32) {
        slotClusters[Int(slot)] = cluster
        clusterSizes[Int(cluster)] += 1
    }

    /// Writes the ``probeBands`` band keys of `compact` to `keys`: one 64-bit key per band, a hash
    /// of the band index and its rows (16-bit values, four per word), then one per lead band from
    /// the first values of `lead`, or 0 for each lead band without a lead (no bucket).
    ///
    /// A key's bits above ``slotBits`` are its bucket's fingerprint (the low bits are 0): the band
    /// index in the top `bandBits` bits and hash bits below, never 0. Keys of one band can share a bucket (equal fingerprints), which
    /// only adds candidates; keys of different bands never do, because a bucket's chain follows each
    /// member's link of one band.
    private func bandKeys(
        _ compact: UnsafePointer<UInt16>,
        lead: UnsafePointer<UInt16>?,
        into keys: UnsafeMutablePointer<UInt64>
    ) {
        for band in 0..<bands { keys[band] = bandKey(compact, band: band, start: band * rows) }
        guard leadBands > 0 else { return }
        if let lead {
            for band in 0..<leadBands { keys[bands + band] = bandKey(lead, band: bands + band, start: band * rows) }
        } else {
            (keys + bands).update(repeating: 0, count: leadBands)
        }
    }

    /// The key of band `band` over `values[start..<start + rows]`.
    @inline(__always)
    private func bandKey(_ values: UnsafePointer<UInt16>, band: Int, start: Int) -> UInt64 {
        let hashBits = UInt64(64 - Self.slotBits) - UInt64(bandBits)
        let hashMask: UInt64 = (1 << hashBits) - 1
        // Per word of rows: one multiply and a fold; then one more multiply and fold, so that every
        // key bit depends on every row bit (keys are not stored: the index is rebuilt from the
        // signatures, so this may change between versions).
        var h = (UInt64(band) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        var row = 0
        while row < rows {
            var word: UInt64 = 0
            var lane: UInt64 = 0
            while lane < 4, row < rows {
                word |= UInt64(values[start + row]) << (lane * 16)
                lane += 1
                row += 1
            }
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        h = h &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        var fingerprint = UInt64(band) << hashBits | (h >> Self.slotBits) & hashMask
        if fingerprint == 0 { fingerprint = 1 }
        return fingerprint << Self.slotBits
    }

    /// The low bits of a bucket entry, which hold its head slot plus one; the fingerprint takes
    /// the 36 bits above (the band index, then at least 29 hash bits), so that two keys of one
    /// band share a bucket about once in 500 million, and an index holds at most
    /// ``maximumDocuments``.
    static let slotBits = 28

    /// The most documents an index holds at once (slots plus one fit ``slotBits``): 268,435,454,
    /// far beyond the memory of any machine it runs on (about 1.2 KB each).
    public static let maximumDocuments = (1 << slotBits) - 2

    /// A key's or an entry's fingerprint (a key's low bits are 0).
    @inline(__always)
    private static func fingerprint(_ key: UInt64) -> UInt64 { key >> slotBits }

    /// The head slot of a non-empty bucket entry.
    @inline(__always)
    private static func headSlot(_ entry: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: entry & ((1 << slotBits) - 1)) &- 1
    }

    /// The bucket entry of a fingerprint whose newest member is `slot`.
    @inline(__always)
    private static func entry(fingerprint: UInt64, head slot: UInt32) -> UInt64 {
        fingerprint << slotBits | UInt64(slot &+ 1)
    }

    /// The entry where the search for a fingerprint's bucket starts (its bits mixed, since the
    /// band index is in the top bits).
    @inline(__always)
    private static func home(_ fingerprint: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (fingerprint &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The bucket position holding `key`, if present.
    private func findBucket(key: UInt64) -> Int? {
        let wanted = Self.fingerprint(key)
        var position = Self.home(wanted, mask: bucketMask)
        while true {
            let entry = buckets.base[position]
            if entry == 0 { return nil }
            if Self.fingerprint(entry) == wanted { return position }
            position = (position + 1) & bucketMask
        }
    }

    /// Grows the bucket table, if needed, so that `count` more entries keep the load below 0.8.
    private func reserveBuckets(_ count: Int) {
        if (usedBuckets + count) * 10 > buckets.count * 8 { growBuckets() }
    }

    /// The position of `key`'s bucket, or of the empty entry where it would go.
    @inline(__always)
    private static func probe(_ key: UInt64, in table: UnsafeMutablePointer<UInt64>, mask: Int) -> Int {
        let wanted = fingerprint(key)
        var position = home(wanted, mask: mask)
        while true {
            let entry = table[position]
            if entry == 0 || fingerprint(entry) == wanted { return position }
            position = (position + 1) & mask
        }
    }

    /// Writes the bucket positions of a document's first `count` band keys to `positions` (-1 for a
    /// key of 0).
    ///
    /// The bands' home entries are random cache lines of a large table: callers load all of them
    /// first (``touchHomes(_:count:)``), with no branch on the values, so that their misses overlap
    /// instead of costing one memory latency per band.
    private func probe(_ keys: UnsafePointer<UInt64>, count: Int, into positions: UnsafeMutablePointer<Int>) {
        let mask = bucketMask
        let table = buckets.base
        for band in 0..<count {
            let key = keys[band]
            positions[band] = key == 0 ? -1 : Self.probe(key, in: table, mask: mask)
        }
    }

    /// Loads the home entries of `keys`, with no branch on their values, so that their misses
    /// overlap (``probe(_:count:into:)``, ``unlink(slot:keys:count:)``).
    @inline(__always)
    private func touchHomes(_ keys: UnsafePointer<UInt64>, count: Int) {
        let mask = bucketMask
        let table = buckets.base
        var touched: UInt64 = 0
        for band in 0..<count { touched |= table[Self.home(Self.fingerprint(keys[band]), mask: mask)] }
        touchedEntries = touched
    }

    private func insert(slot: UInt32, keys: UnsafePointer<UInt64>, count: Int, positions: UnsafePointer<Int>) {
        let mask = bucketMask
        let bands = probeBands
        let noSlot = noSlot
        var added = 0
        let table = buckets.base
        let links = links.base
        for band in 0..<count {
            let key = keys[band]
            guard key != 0 else {
                links[Int(slot) * bands + band] = noSlot
                continue
            }
            let wanted = Self.fingerprint(key)
            var position = positions[band]
            // Another band of this document may have taken the empty entry found by the probe.
            if table[position] != 0, Self.fingerprint(table[position]) != wanted {
                position = Self.probe(key, in: table, mask: mask)
            }
            let entry = table[position]
            if entry == 0 {
                added += 1
                links[Int(slot) * bands + band] = noSlot
            } else {
                links[Int(slot) * bands + band] = Self.headSlot(entry)
            }
            table[position] = Self.entry(fingerprint: wanted, head: slot)
        }
        usedBuckets += added
    }

    private func unlink(slot: UInt32, keys: UnsafePointer<UInt64>, count: Int) {
        touchHomes(keys, count: count)
        for band in 0..<count {
            let key = keys[band]
            guard key != 0 else { continue }
            guard let position = findBucket(key: key) else { continue }
            let table = buckets.base
            let head = Self.headSlot(table[position])
            let next = links[Int(slot) * probeBands + band]
            if head == slot {
                if next == noSlot {
                    removeBucket(at: position)
                } else {
                    table[position] = Self.entry(fingerprint: Self.fingerprint(table[position]), head: next)
                }
                continue
            }
            var current = head
            while current != noSlot {
                let link = Int(current) * probeBands + band
                if links[link] == slot {
                    links[link] = next
                    break
                }
                current = links[link]
            }
        }
    }

    /// Empties the bucket entry at `position` and moves later entries of its probe run back
    /// (backward-shift deletion), so that no tombstone is left: a retention window that evicts as
    /// many documents as arrive keeps the table's load, and never rebuilds it.
    ///
    /// An entry moves into the hole when its home is not cyclically after the hole (its probe
    /// would otherwise stop at the hole before reaching it).
    private func removeBucket(at position: Int) {
        let table = buckets.base
        let mask = bucketMask
        var hole = position
        var next = (hole + 1) & mask
        while true {
            let entry = table[next]
            if entry == 0 { break }
            let home = Self.home(Self.fingerprint(entry), mask: mask)
            // Distances from the entry's home: to the hole, and to where the entry is.
            if (hole &- home) & mask < (next &- home) & mask {
                table[hole] = entry
                hole = next
            }
            next = (next + 1) & mask
        }
        table[hole] = 0
        usedBuckets -= 1
    }

    /// Doubles the bucket table.
    private func growBuckets() {
        rebuildBuckets(minimumCapacity: buckets.count)
    }

    /// Rehashes every live entry into a table of at least `minimumCapacity` entries, at most half
    /// full, in place: the table is extended (``BucketTable/grow(to:)``) and its old entries are
    /// moved in table order, starting after an empty entry.
    ///
    /// An entry's new home is its old home plus a multiple of the old size, so the writes advance
    /// through a few sequential streams. Each entry is taken out and put at the first empty entry
    /// from its new home. That search only crosses entries already moved or added, which no later
    /// move takes out: an entry that stays in the old part was at or after its home in an old run,
    /// which started after the starting empty entry and was moved first, and the added part only
    /// ever receives entries. The exception is a search that would wrap from the last entry to the
    /// first, over entries not moved yet: those entries are put in place at the end.
    private func rebuildBuckets(minimumCapacity: Int) {
        let oldCount = buckets.count
        let live = usedBuckets
        var capacity = max(oldCount, minimumCapacity)
        while (live + probeBands) * 10 > capacity * 5 { capacity *= 2 }
        buckets.grow(to: capacity)
        let table = buckets.base
        let mask = capacity - 1
        let oldMask = oldCount - 1
        var start = 0
        while start < oldCount, table[start] != 0 { start += 1 }
        precondition(start < oldCount, "the bucket table is never full")
        var wrapping: [UInt64] = []
        for offset in 1...oldCount {
            let position = (start + offset) & oldMask
            let entry = table[position]
            guard entry != 0 else { continue }
            table[position] = 0
            var target = Self.home(Self.fingerprint(entry), mask: mask)
            while table[target] != 0, target < mask { target += 1 }
            if table[target] == 0 {
                table[target] = entry
            } else {
                wrapping.append(entry)
            }
        }
        for entry in wrapping {
            var target = Self.home(Self.fingerprint(entry), mask: mask)
            while table[target] != 0 { target = (target + 1) & mask }
            table[target] = entry
        }
        bucketMask = mask
        usedBuckets = live
    }
}
