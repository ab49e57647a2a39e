import Foundation
import Model
import Testing

struct ExtractedArticleTests {
    @Test func textJoinsParagraphsWithNewlines() {
        let article = ExtractedArticle(title: "t", paragraphs: ["أول", "ثاني"])
        #expect(article.text == "أول\nثاني")
    }
}

struct ClusterEventTests {
    @Test func kindsEncodeAsTheirDottedNames() throws {
        let event = ClusterEvent(
            sequence: 7,
            kind: .memberAdded,
            time: Date(timeIntervalSince1970: 0),
            clusterID: "c",
            documentID: "d",
            url: "https://example.org/a",
            similarity: 0.9
        )
        let json = try #require(String(data: JSONEncoder().encode(event), encoding: .utf8))
        #expect(json.contains("\"member.added\""))
        #expect(try JSONDecoder().decode(ClusterEvent.self, from: Data(json.utf8)) == event)
    }
}

struct SignatureTests {
    @Test func signaturesWithDifferentParametersAreNotEqual() {
        let a = SignatureParameters(permutations: 2, seed: 1, shingleSize: 5, schemeVersion: 1)
        let b = SignatureParameters(permutations: 2, seed: 2, shingleSize: 5, schemeVersion: 1)
        #expect(
            Signature(parameters: a, values: [1, 2], shingleCount: 3)
                != Signature(parameters: b, values: [1, 2], shingleCount: 3))
    }
}
