import Extraction
import Foundation
import Testing

struct ExtractionOptionsTests {
    @Test func partialConfigurationKeepsTheDefaults() throws {
        let decoded = try JSONDecoder().decode(ExtractionOptions.self, from: Data(#"{"maxBytes": 1024}"#.utf8))
        #expect(decoded.maxBytes == 1024)
        #expect(decoded.minParagraphCharacters == ExtractionOptions().minParagraphCharacters)
        #expect(decoded.useStructuredBody == ExtractionOptions().useStructuredBody)
        #expect(decoded.parser == .libxml2)
    }

    @Test func parserIsLibXML2ByDefaultAndDecodesByName() throws {
        #expect(ExtractionOptions().parser == .libxml2)
        let native = try JSONDecoder().decode(ExtractionOptions.self, from: Data(#"{"parser": "native"}"#.utf8))
        #expect(native.parser == .native)
        let encoded = String(decoding: try JSONEncoder().encode(ExtractionOptions()), as: UTF8.self)
        #expect(encoded.contains(#""parser":"libxml2""#))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ExtractionOptions.self, from: Data(#"{"parser": "html5ever"}"#.utf8))
        }
    }

    @Test func optionsRoundTrip() throws {
        let options = ExtractionOptions(
            maxBytes: 5, minParagraphCharacters: 7, useStructuredBody: false, parser: .native)
        let data = try JSONEncoder().encode(options)
        #expect(try JSONDecoder().decode(ExtractionOptions.self, from: data) == options)
    }

    @Test func errorsDescribeThemselvesOnOneLine() {
        for error in [ExtractionError.tooLarge(9), .unparseable("x"), .noContent] {
            #expect(!error.description.isEmpty && !error.description.contains("\n"))
        }
    }
}
