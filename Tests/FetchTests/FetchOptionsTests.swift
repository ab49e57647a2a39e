import Fetch
import Foundation
import Testing

struct FetchOptionsTests {
    @Test func decodingFillsMissingKeysWithDefaults() throws {
        let json = Data(#"{"maxFeedBytes": 1234, "proxy": "http://proxy:3128"}"#.utf8)
        let options = try JSONDecoder().decode(FetchOptions.self, from: json)
        #expect(options.maxFeedBytes == 1234)
        #expect(options.proxy == "http://proxy:3128")
        #expect(options.maxPageBytes == 5 << 20)
        #expect(options.userAgent == FetchOptions().userAgent)
        let empty = try JSONDecoder().decode(FetchOptions.self, from: Data("{}".utf8))
        #expect(empty == FetchOptions())
        let roundTrip = try JSONDecoder().decode(FetchOptions.self, from: JSONEncoder().encode(options))
        #expect(roundTrip == options)
    }
}
