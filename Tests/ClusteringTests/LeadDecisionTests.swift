import Clustering
import Fingerprint
import Model
import Testing

/// How leads decide matches: a shared lead verifies a heavily edited copy, and ranks candidates.
struct LeadDecisionTests {
    private let fingerprinter: Fingerprinter

    init() throws {
        fingerprinter = try Fingerprinter()
    }

    private func makeIndex() throws -> ClusterIndex {
        try ClusterIndex(signatureParameters: fingerprinter.signatureParameters)
    }

    @discardableResult
    private func add(_ index: ClusterIndex, _ id: String, _ paragraphs: [String]) throws -> ClusterAssignment {
        let signatures = fingerprinter.signatures(ofParagraphs: paragraphs)
        return try index.assign(documentID: id, signature: signatures.document, lead: signatures.lead)
    }

    @Test func heavilyEditedCopyKeepingTheLeadJoins() throws {
        let story = fingerprinter.signatures(ofParagraphs: LeadSamples.story)
        let copy = fingerprinter.signatures(ofParagraphs: LeadSamples.editedCopy)
        // Too little overlap for the Jaccard and containment paths alone; the same lead.
        let similarity = try ClusterIndex.similarity(story.document, copy.document)
        let parameters = ClusteringParameters()
        try #require(similarity >= parameters.minimumJaccard && similarity < parameters.threshold)
        try #require(try ClusterIndex.similarity(story.lead, copy.lead) >= ClusteringParameters.sharedLeadSimilarity)

        let index = try makeIndex()
        try add(index, "story", LeadSamples.story)
        let assignment = try add(index, "copy", LeadSamples.editedCopy)
        #expect(assignment.clusterID == "story")
        #expect(assignment.similarity == similarity)
        // In the other order too.
        let reversed = try makeIndex()
        try add(reversed, "copy", LeadSamples.editedCopy)
        #expect(try add(reversed, "story", LeadSamples.story).clusterID == "copy")
    }

    @Test func sharedLeadNeedsSomeOverlapBeyondIt() throws {
        // The lead alone, followed by unrelated paragraphs, is a borrowed opening, not a copy.
        let index = try makeIndex()
        try add(index, "story", LeadSamples.story)
        let borrower = [LeadSamples.story[0]] + LeadSamples.otherStory
        #expect(try add(index, "borrower", borrower).isNewCluster)
    }

    @Test func copyCarryingAnotherStoryJoinsTheStoryWhoseLeadItShares() throws {
        let index = try makeIndex()
        try add(index, "story", LeadSamples.story)
        // Indexed without a lead (as documents indexed before leads were kept): nothing guards it.
        let other = fingerprinter.signatures(ofParagraphs: LeadSamples.otherStory)
        _ = try index.assign(documentID: "other", signature: other.document)
        let copy = fingerprinter.signatures(ofParagraphs: LeadSamples.copyCarryingOtherStory)
        // The copy is more similar to the story it carries than to its own.
        try #require(
            try ClusterIndex.similarity(copy.document, other.document)
                > ClusterIndex.similarity(copy.document, fingerprinter.signature(ofParagraphs: LeadSamples.story))
        )
        let assignment = try index.assign(documentID: "copy", signature: copy.document, lead: copy.lead)
        #expect(assignment.clusterID == "story")
    }
}
