import Fingerprint
import Model
import Testing

@testable import Clustering

struct ClusterIndexTests {
    private let fingerprinter: Fingerprinter

    init() throws {
        fingerprinter = try Fingerprinter()
    }

    private func makeIndex(_ parameters: ClusteringParameters = ClusteringParameters()) throws -> ClusterIndex {
        try ClusterIndex(parameters: parameters, signatureParameters: fingerprinter.signatureParameters)
    }

    @discardableResult
    private func add(_ index: ClusterIndex, _ id: String, _ paragraphs: [String]) throws -> ClusterAssignment {
        let signatures = fingerprinter.signatures(ofParagraphs: paragraphs)
        return try index.assign(documentID: id, signature: signatures.document, lead: signatures.lead)
    }

    @Test func republishedStoryJoinsTheOriginal() throws {
        let index = try makeIndex()
        let first = try add(index, "a", ClusterSamples.story)
        #expect(first.isNewCluster)
        #expect(first.clusterID == "a")
        let copy = try add(index, "b", ClusterSamples.republished)
        #expect(!copy.isNewCluster)
        #expect(copy.clusterID == "a")
        #expect(copy.matchedDocumentID == "a")
        #expect(copy.similarity >= index.parameters.threshold)
        #expect(index.documentCount == 2)
    }

    @Test func truncatedCopyJoinsThroughContainment() throws {
        let index = try makeIndex()
        try add(index, "a", ClusterSamples.story)
        let truncated = try add(index, "b", Array(ClusterSamples.story.prefix(2)))
        #expect(truncated.clusterID == "a")
    }

    @Test func sameTopicDifferentStoryStaysApart() throws {
        let index = try makeIndex()
        try add(index, "a", ClusterSamples.story)
        let other = try add(index, "b", ClusterSamples.sameTopic)
        #expect(other.isNewCluster)
    }

    @Test func borrowedParagraphDoesNotMerge() throws {
        let index = try makeIndex()
        try add(index, "a", ClusterSamples.story)
        #expect(try add(index, "b", ClusterSamples.borrowing).isNewCluster)
        // Nor the other way round: the story arriving after the document that borrowed from it.
        let reversed = try makeIndex()
        try add(reversed, "b", ClusterSamples.borrowing)
        #expect(try add(reversed, "a", ClusterSamples.story).isNewCluster)
    }

    @Test func restoreReproducesAssignments() throws {
        let documents: [(String, [String])] = [
            ("a", ClusterSamples.story), ("b", ClusterSamples.sameTopic), ("c", ClusterSamples.republished),
            ("d", ClusterSamples.borrowing),
        ]
        let original = try makeIndex()
        var stored: [(String, Signature, Signature, String)] = []
        for (id, paragraphs) in documents {
            let signatures = fingerprinter.signatures(ofParagraphs: paragraphs)
            let assignment = try original.assign(documentID: id, signature: signatures.document, lead: signatures.lead)
            stored.append((id, signatures.document, signatures.lead, assignment.clusterID))
        }
        let restored = try makeIndex()
        for (id, document, lead, cluster) in stored {
            try restored.restore(documentID: id, signature: document, lead: lead, clusterID: cluster)
        }
        #expect(restored.documentCount == 4)
        for (id, _, _, cluster) in stored {
            #expect(restored.clusterID(of: id) == cluster)
        }
        // A further copy arriving after the restart joins the restored cluster.
        let next = try add(restored, "e", ClusterSamples.republished.reversed())
        #expect(next.clusterID == "a")
        #expect(try add(original, "e", ClusterSamples.republished.reversed()) == next)
    }

    @Test func evictionForgetsDocumentsButKeepsClusterIDs() throws {
        let index = try makeIndex()
        try add(index, "a", ClusterSamples.story)
        try add(index, "b", ClusterSamples.republished)
        index.evict(documentID: "a")
        #expect(index.documentCount == 1)
        #expect(!index.contains(documentID: "a"))
        // The surviving member still carries the founder's cluster id.
        #expect(try add(index, "c", ClusterSamples.story).clusterID == "a")
        index.evict(documentID: "b")
        index.evict(documentID: "c")
        index.evict(documentID: "missing")
        #expect(index.documentCount == 0)
        #expect(index.clusterCount == 0)
        #expect(try add(index, "d", ClusterSamples.story).isNewCluster)
    }

    @Test func incompatibleSignaturesAreRejected() throws {
        let index = try makeIndex()
        let other = try Fingerprinter(parameters: FingerprintParameters(shingleSize: 5))
        let signature = other.signature(ofParagraphs: ClusterSamples.story)
        #expect {
            try index.assign(documentID: "x", signature: signature)
        } throws: { error in
            guard case .incompatibleSignature(let id, _, _)? = error as? ClusteringError else { return false }
            return id == "x"
        }
        #expect(throws: ClusteringError.self) {
            try ClusterIndex.similarity(signature, fingerprinter.signature(ofParagraphs: ClusterSamples.story))
        }
    }

    @Test func duplicateDocumentsAreRejected() throws {
        let index = try makeIndex()
        try add(index, "a", ClusterSamples.story)
        #expect(throws: ClusteringError.duplicateDocument("a")) {
            try add(index, "a", ClusterSamples.story)
        }
    }

    @Test func emptyDocumentsFoundTheirOwnClusters() throws {
        let index = try makeIndex()
        #expect(try add(index, "a", [" "]).isNewCluster)
        #expect(try add(index, "b", ["…"]).isNewCluster)
    }

    @Test func manyDocumentsKeepTheIndexConsistent() throws {
        // Enough inserts to grow the bucket table several times, then evict half.
        let index = try makeIndex()
        for number in 0..<1200 {
            let text = "خبر رقم \(number) عن حدث \(number * 7) في مدينة \(number % 97) يوم \(number % 31) من الشهر"
            try add(index, "doc\(number)", [text])
        }
        #expect(index.documentCount == 1200)
        for number in stride(from: 0, to: 1200, by: 2) { index.evict(documentID: "doc\(number)") }
        #expect(index.documentCount == 600)
        let again = try add(index, "again", ["خبر رقم 1 عن حدث 7 في مدينة 1 يوم 1 من الشهر"])
        #expect(again.clusterID == "doc1")
    }

    /// Distinct pseudo-random signatures (SplitMix64), `count` of them starting at `first`.
    private func syntheticSignatures(_ count: Int, first: UInt64) -> [Signature] {
        var state = first
        return (0..<count).map { _ in
            let values = (0..<fingerprinter.signatureParameters.permutations).map { _ in
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return (z ^ (z >> 31)) & 0xFFFF_FFFF
            }
            return Signature(parameters: fingerprinter.signatureParameters, values: values, shingleCount: 400)
        }
    }

    @Test func copiesAreFoundAfterTheBucketTableGrows() throws {
        // 2,000 documents × 51 bands outgrow the initial table several times.
        let index = try makeIndex()
        let signatures = syntheticSignatures(2000, first: 7)
        for (number, signature) in signatures.enumerated() {
            #expect(try index.assign(documentID: "d\(number)", signature: signature).isNewCluster)
        }
        for number in [0, 1, 999, 1999] {
            let copy = try index.assign(documentID: "copy\(number)", signature: signatures[number])
            #expect(copy.clusterID == "d\(number)")
        }
    }

    @Test func reservingCapacityChangesNoAssignment() throws {
        let plain = try makeIndex()
        let reserved = try makeIndex()
        reserved.reserveCapacity(documents: 5000)
        let signatures = syntheticSignatures(300, first: 11)
        for (number, signature) in signatures.enumerated() {
            _ = try plain.assign(documentID: "d\(number)", signature: signature)
            _ = try reserved.assign(documentID: "d\(number)", signature: signature)
        }
        for (id, paragraphs) in [("a", ClusterSamples.story), ("b", ClusterSamples.republished)] {
            #expect(try add(plain, id, paragraphs) == add(reserved, id, paragraphs))
        }
        #expect(reserved.clusterID(of: "b") == "a")
        #expect(reserved.documentCount == plain.documentCount)
    }

    @Test func idsStayFindableThroughEvictionAndReuse() throws {
        // 153,000 band keys: some bucket fingerprints coincide, and an evicted document must not stay
        // reachable through a bucket shared with another band (it did, and copies joined cluster "").
        let index = try makeIndex()
        let signatures = syntheticSignatures(3000, first: 23)
        // Ids longer than a small string, as the daemon's 16 hex digits.
        let ids = (0..<3000).map { "0000000000\(String($0, radix: 16))-id" }
        for (number, signature) in signatures.enumerated() {
            _ = try index.assign(documentID: ids[number], signature: signature)
        }
        #expect(index.documentCount == 3000)
        #expect(index.clusterCount == 3000)
        for number in stride(from: 0, to: 3000, by: 3) { index.evict(documentID: ids[number]) }
        index.evict(documentID: "never-indexed")
        #expect(index.documentCount == 2000)
        #expect(index.clusterCount == 2000)
        for number in 0..<3000 {
            #expect(index.contains(documentID: ids[number]) == !number.isMultiple(of: 3))
            #expect(index.clusterID(of: ids[number]) == (number.isMultiple(of: 3) ? nil : ids[number]))
        }
        #expect(throws: ClusteringError.duplicateDocument(ids[1])) {
            try index.assign(documentID: ids[1], signature: signatures[1])
        }
        // Evicted ids can come back (in freed slots); copies find the members that stayed.
        for number in stride(from: 0, to: 3000, by: 3) {
            let again = try index.assign(documentID: ids[number], signature: signatures[number])
            #expect(again.isNewCluster)
            let copy = try index.assign(documentID: "copy-\(number)", signature: signatures[number + 1])
            #expect(copy.clusterID == ids[number + 1])
        }
        #expect(index.documentCount == 4000)
        #expect(index.clusterCount == 3000)
        try index.restore(documentID: "restored", signature: signatures[2], clusterID: ids[2])
        #expect(index.clusterID(of: "restored") == ids[2])
        #expect(index.clusterCount == 3000)
    }

    @Test func aRetentionWindowKeepsTheBucketTableSizeAndEveryMemberReachable() throws {
        // 40 rounds of 250 arrivals and 250 evictions of the oldest: the index holds 1,000
        // documents throughout, so the table must keep its size (evicted buckets leave no
        // tombstones), and every held document must stay reachable after the shifts.
        let index = try makeIndex()
        let signatures = syntheticSignatures(11_000, first: 41)
        for number in 0..<1000 { _ = try index.assign(documentID: "d\(number)", signature: signatures[number]) }
        let capacity = index.bucketCapacity
        for round in 0..<40 {
            let first = 1000 + round * 250
            for number in first..<first + 250 {
                _ = try index.assign(documentID: "d\(number)", signature: signatures[number])
                index.evict(documentID: "d\(number - 1000)")
            }
            #expect(index.documentCount == 1000)
        }
        #expect(index.bucketCapacity == capacity)
        for number in 10_000..<11_000 {
            let copy = try index.assign(documentID: "copy\(number)", signature: signatures[number])
            #expect(copy.clusterID == "d\(number)")
            index.evict(documentID: "copy\(number)")
        }
        for number in 0..<10_000 { #expect(!index.contains(documentID: "d\(number)")) }
        // An evicted document's signature founds a new cluster: nothing of it stayed in a bucket.
        #expect(try index.assign(documentID: "late", signature: signatures[9999]).isNewCluster)
    }

    @Test func theBucketTableRehashesInPlaceAfterEvictions() throws {
        // Evicting most documents empties buckets; the next growths rehash around the holes.
        let index = try makeIndex()
        let signatures = syntheticSignatures(5000, first: 31)
        for number in 0..<2000 { _ = try index.assign(documentID: "d\(number)", signature: signatures[number]) }
        for number in 0..<1500 { index.evict(documentID: "d\(number)") }
        for number in 2000..<5000 { _ = try index.assign(documentID: "d\(number)", signature: signatures[number]) }
        #expect(index.documentCount == 3500)
        for number in [0, 1499, 1500, 1999, 2000, 3333, 4999] {
            let copy = try index.assign(documentID: "copy\(number)", signature: signatures[number])
            #expect(copy.clusterID == (number < 1500 ? "copy\(number)" : "d\(number)"))
        }
    }

    /// A lead signature for synthetic documents (the shingle count of a short paragraph).
    private func syntheticLead(first: UInt64) -> Signature {
        let values = syntheticSignatures(1, first: first)[0].values
        return Signature(parameters: fingerprinter.signatureParameters, values: values, shingleCount: 60)
    }

    @Test func aCopyFoundOnlyThroughItsLeadBandsJoins() throws {
        // The copy keeps every value but the second row of each of the 28 signature bands (Jaccard
        // about 0.78), so no signature band holds the original; it shares the original's lead.
        let original = syntheticSignatures(2, first: 51)
        var values = original[0].values
        for band in 0..<28 { values[band * 2 + 1] = original[1].values[band * 2 + 1] }
        let copy = Signature(parameters: fingerprinter.signatureParameters, values: values, shingleCount: 400)
        let lead = syntheticLead(first: 61)
        for leadBands in [8, 0] {
            let index = try makeIndex(ClusteringParameters(bands: 28, rows: 2, leadBands: leadBands))
            #expect(index.leadBands == leadBands)
            _ = try index.assign(documentID: "a", signature: original[0], lead: lead)
            let assignment = try index.assign(documentID: "b", signature: copy, lead: lead)
            // Without lead bands it is never a candidate.
            #expect(assignment.clusterID == (leadBands > 0 ? "a" : "b"))
        }
    }

    @Test func evictionTakesOutTheLeadBandEntriesToo() throws {
        let index = try makeIndex()
        #expect(index.leadBands > 0)
        let signatures = syntheticSignatures(300, first: 71)
        for (number, signature) in signatures.enumerated() {
            let lead = syntheticLead(first: 1000 + UInt64(number))
            _ = try index.assign(documentID: "d\(number)", signature: signature, lead: lead)
        }
        // Lead bands hold entries of their own.
        #expect(index.occupiedBuckets > 300 * index.bands)
        // A restored document's lead bands are rebuilt from its lead.
        try index.restore(documentID: "r", signature: signatures[0], lead: syntheticLead(first: 1000), clusterID: "d0")
        index.evict(documentID: "r")
        for number in 0..<300 { index.evict(documentID: "d\(number)") }
        #expect(index.documentCount == 0)
        #expect(index.occupiedBuckets == 0)
    }

    @Test func unrelatedDocumentsAlmostNeverShareABucket() throws {
        // 20,000 unrelated documents × 28 bands: with 26 hash bits per fingerprint about 83 keys
        // would land in a bucket of another key of their band; with 30 or more, about 5.
        let index = try makeIndex()
        for (number, signature) in syntheticSignatures(20000, first: 5).enumerated() {
            #expect(try index.assign(documentID: "d\(number)", signature: signature).isNewCluster)
        }
        #expect(index.fingerprintCoincidences <= 30)
    }
}
