import Fingerprint
import Foundation
import Model
import Testing

struct FingerprinterTests {
    private func similarity(_ a: Signature, _ b: Signature) -> Double {
        var equal = 0
        for index in a.values.indices where a.values[index] == b.values[index] { equal += 1 }
        return Double(equal) / Double(a.values.count)
    }

    @Test func orthographicVariantsGiveIdenticalSignatures() throws {
        let fingerprinter = try Fingerprinter()
        let plain = fingerprinter.signature(of: "أعلنت الوزارة افتتاح مستشفى جديد بسعة 500 سرير في مدينة الرياض")
        let variant = fingerprinter.signature(
            of: "أَعْلَنَتْ الـوزارة، افتتاح مستشفي جديد بسعة ٥٠٠ سرير فى مدينه الرياض!"
        )
        #expect(plain == variant)
        #expect(plain.shingleCount > 0)
    }

    @Test func signatureCarriesItsParameters() throws {
        let parameters = FingerprintParameters(shingleSize: 5, permutations: 64, seed: 42)
        let signature = try Fingerprinter(parameters: parameters).signature(of: "نص قصير للاختبار فقط هنا")
        #expect(signature.values.count == 64)
        #expect(signature.parameters == parameters.signatureParameters)
        #expect(signature.parameters.schemeVersion == FingerprintParameters.schemeVersion)
    }

    @Test func goldenSignatureIsStable() throws {
        // Pins the whole scheme (normalization, XXH64, shingling, permutations): a change here
        // invalidates stored signatures and must bump FingerprintParameters.schemeVersion.
        let signature = try Fingerprinter().signature(ofParagraphs: ArabicSamples.storyParagraphs)
        #expect(FingerprintParameters.schemeVersion == 2)
        #expect(signature.shingleCount == 78)
        #expect(Array(signature.values.prefix(4)) == GoldenValues.storySignaturePrefix)
    }

    @Test func republishedCopyIsSimilarAndOtherStoriesAreNot() throws {
        let fingerprinter = try Fingerprinter()
        let story = fingerprinter.signature(ofParagraphs: ArabicSamples.storyParagraphs)
        let copy = fingerprinter.signature(ofParagraphs: ArabicSamples.republishedParagraphs)
        let sameTopic = fingerprinter.signature(ofParagraphs: ArabicSamples.sameTopicParagraphs)
        #expect(similarity(story, copy) > 0.4)
        #expect(similarity(story, sameTopic) < 0.05)
    }

    @Test func emptyTextHasNoShingles() throws {
        let signature = try Fingerprinter().signature(of: " ، . ! ")
        #expect(signature.shingleCount == 0)
        #expect(signature.values.allSatisfy { $0 == UInt64(UInt32.max) })
    }

    @Test func shortTextStillGetsASignature() throws {
        let signature = try Fingerprinter().signature(of: "عاجل\nخبر")
        #expect(signature.shingleCount == 1)
    }

    @Test func leadIsTheFirstSubstantialParagraph() throws {
        let fingerprinter = try Fingerprinter()
        let both = fingerprinter.signatures(ofParagraphs: ArabicSamples.republishedParagraphs)
        let lead = fingerprinter.signatures(ofParagraphs: [ArabicSamples.republishedParagraphs[1]]).document
        #expect(both.lead == lead)
        #expect(both.document == fingerprinter.signature(ofParagraphs: ArabicSamples.republishedParagraphs))
    }

    @Test func textAndParagraphFormsAgree() throws {
        let fingerprinter = try Fingerprinter()
        let joined = ArabicSamples.storyParagraphs.joined(separator: "\n")
        let fromParagraphs = fingerprinter.signature(ofParagraphs: ArabicSamples.storyParagraphs)
        #expect(fingerprinter.signature(of: joined) == fromParagraphs)
    }

    @Test func invalidParametersAreRejected() {
        #expect(throws: FingerprintError.invalidShingleSize(0)) {
            try Fingerprinter(parameters: FingerprintParameters(shingleSize: 0))
        }
        #expect(throws: FingerprintError.invalidPermutationCount(100)) {
            try FingerprintParameters(permutations: 100).validate()
        }
    }

    @Test func decodingFillsMissingKeysWithDefaults() throws {
        let decoded = try JSONDecoder().decode(FingerprintParameters.self, from: Data(#"{"permutations": 64}"#.utf8))
        #expect(decoded == FingerprintParameters(permutations: 64))
    }
}
