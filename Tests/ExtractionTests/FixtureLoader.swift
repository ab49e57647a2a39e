import Foundation
import Testing

/// Reads the pages under `Fixtures/`.
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return [UInt8](try Data(contentsOf: url))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }
}

/// The yardstick's scoring: 4-token shingles over runs of word characters, as a multiset.
enum ShingleScore {
    static func tokens(_ text: String) -> [Substring] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
    }

    static func shingles(_ text: String) -> [String: Int] {
        let t = tokens(text)
        var counts: [String: Int] = [:]
        if t.isEmpty { return counts }
        if t.count < 4 {
            counts[t.joined(separator: " "), default: 0] += 1
            return counts
        }
        for i in 0...(t.count - 4) { counts[t[i..<(i + 4)].joined(separator: " "), default: 0] += 1 }
        return counts
    }

    /// Precision, recall and F1 of `predicted` against `truth`.
    static func score(predicted: String, truth: String) -> (precision: Double, recall: Double, f1: Double) {
        let p = shingles(predicted)
        let t = shingles(truth)
        let tp = p.reduce(0) { $0 + min($1.value, t[$1.key] ?? 0) }
        let pTotal = p.values.reduce(0, +)
        let tTotal = t.values.reduce(0, +)
        let precision = pTotal == 0 ? 0 : Double(tp) / Double(pTotal)
        let recall = tTotal == 0 ? 1 : Double(tp) / Double(tTotal)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return (precision, recall, f1)
    }
}
