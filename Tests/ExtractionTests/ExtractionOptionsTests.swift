import Extraction
import Foundation
import Testing

struct ExtractionOptionsTests {
    @Test func partialConfigurationKeepsTheDefaults() throws {
        let decoded = try JSONDecoder().decode(ExtractionOptions.self, from: Data(#"{"maxBytes": 1024}"#.utf8))
        #expect(decoded.maxBytes == 1024)
        #expect(decoded.minParagraphCharacters == ExtractionOptions().minParagraphCharacters)
        #expect(decoded.useStructuredBody == ExtractionOptions().useStructuredBody)
    }

    @Test func optionsRoundTrip() throws {
        let options = ExtractionOptions(maxBytes: 5, minParagraphCharacters: 7, useStructuredBody: false)
        let data = try JSONEncoder().encode(options)
        #expect(try JSONDecoder().decode(ExtractionOptions.self, from: data) == options)
    }

    @Test func errorsDescribeThemselvesOnOneLine() {
        for error in [ExtractionError.tooLarge(9), .unparseable("x"), .noContent] {
            #expect(!error.description.isEmpty && !error.description.contains("\n"))
        }
    }
}
