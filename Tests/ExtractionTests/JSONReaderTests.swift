import Foundation
import Testing

@testable import Extraction

/// ``JSONReader`` accepts and reads exactly what `JSONDecoder` does.
struct JSONReaderTests {
    /// The reference: the same value through `JSONDecoder`.
    enum Decoded: Decodable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        case array([Decoded])
        case object([String: Decoded])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let s = try? container.decode(String.self) {
                self = .string(s)
            } else if let b = try? container.decode(Bool.self) {
                self = .bool(b)
            } else if let n = try? container.decode(Double.self) {
                self = .number(n)
            } else if let a = try? container.decode([Decoded].self) {
                self = .array(a)
            } else {
                self = .object(try container.decode([String: Decoded].self))
            }
        }

        var value: JSONValue {
            switch self {
            case .string(let s): .string(s)
            case .number(let n): .number(n)
            case .bool(let b): .bool(b)
            case .null: .null
            case .array(let items): .array(items.map(\.value))
            case .object(let members): .object(members.mapValues(\.value))
            }
        }
    }

    static func check(_ text: String) {
        let expected = (try? JSONDecoder().decode(Decoded.self, from: Data(text.utf8)))?.value
        var copy = text
        let read = copy.withUTF8 { JSONReader.parse($0) }
        #expect(read == expected, "\(text.debugDescription)")
    }

    @Test(arguments: [
        "{\"a\":1,\"a\":2}", "{\"a\":\"x\ny\"}", "[1,]", "{\"a\":1,}", "1e400", "[1e400]", "-0", "01", "1.", ".5",
        "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\ude00\"", " [1] ", "[1] x", "\"\\x\"", "\"a\u{7f}\"", "\"\\u00e9\"",
        "tru", "nul", "[\"a\",\"b\"]", "{\"a\":{\"b\":[true,false,null]}}", "\"\\/\"", "1E+2", "-", "2.5e-3", "\"\t\"",
        "{\"a\" : 1 }", "123456789012345678901234567890", "1e309", "1e-400", "[,]", "[1,,2]", "{\"a\":1,,}",
        "[ 1 , ]", "{,}", "[1]\u{c}", "\u{feff}[1]", "", "\"\\u0000\"", "[1,\n]", "{\"a\":1 ,\n}", "1e-320", "0e-400",
        "[-]", "[01]", "[1.5E]", "\"\\uD83D\\uDE00\"", "\"\\u12\"", "\"\\ud83dx\"", "[\"\\u00\"]", "2e-324",
        "{\"@type\":\"NewsArticle\",\"headline\":\"A \\\"quoted\\\" title\",\"author\":[{\"name\":\"X\"}]}",
        "{\"a\":1 // comment\n}", "{'a':1}", "{\"a\":\"b\" \"c\":1}", "{\"a\"}", "[true false]",
        "\"caf\u{e9} \\u0041\"",
    ])
    func agreesWithJSONDecoder(_ text: String) {
        Self.check(text)
    }

    @Test func nestingLimitIsJSONDecoders() {
        for depth in [511, 512, 513] {
            Self.check(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        }
    }

    /// The JSON-LD blocks of the benchmark's pages, when the evaluation set sits next to the
    /// repository.
    @Test func benchmarkPagesAgree() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let directory = root.appendingPathComponent("shared/eval/extraction/scrapinghub/html")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names.sorted() where name.hasSuffix(".html.gz") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/gzip")
            process.arguments = ["-dc", directory.appendingPathComponent(name).path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            for source in PageTree(utf8: [UInt8](data)).jsonLD { Self.check(source) }
        }
    }
}
