import Testing

@testable import Fingerprint

struct SimilaritySketchTests {
    private let seed: UInt64 = 0x5349_4654_4D48_0001

    private func sketch(_ keys: [UInt32], seed: UInt64, bins: Int = 128) -> [UInt64] {
        var state = seed
        let keySeed = StableHash.splitMix64(&state)
        var out = [UInt64](repeating: 0, count: bins)
        keys.withUnsafeBufferPointer { keys in
            out.withUnsafeMutableBufferPointer { Fingerprinter.similaritySketch(keys, keySeed: keySeed, into: $0) }
        }
        return out
    }

    private func agreement(_ a: [UInt64], _ b: [UInt64]) -> Double {
        Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
    }

    /// Values from an independent implementation of the documented construction.
    @Test func sketchMatchesTheDocumentedConstruction() {
        let prefix = Array(sketch(Array(1...400), seed: seed).prefix(4))
        #expect(prefix == [1_145_598_275, 217_604_910, 322_239_582, 159_288_011])
        #expect(
            sketch([1, 2, 3], seed: 42, bins: 8) == [
                8_168_662_829, 6_707_901_268, 21_600_345_522, 19_903_353_608, 5_496_010_079, 1_018_193_436,
                2_174_415_560, 42_354_251_889,
            ]
        )
    }

    @Test func everyBinIsFilledEvenByOneKey() {
        let single = sketch([7], seed: seed)
        #expect(Array(single.prefix(4)) == [48_721_470_170, 304_494_718_105, 67_060_783_649, 7_878_394_589])
        #expect(Set(single).count == 128)
        #expect(single.allSatisfy { $0 < 256 << 32 })
    }

    @Test func noKeysGiveTheEmptySignature() {
        #expect(sketch([], seed: seed).allSatisfy { $0 == UInt64(UInt32.max) })
    }

    @Test func keyOrderDoesNotMatter() {
        let keys: [UInt32] = Array(1000...1300)
        #expect(sketch(keys, seed: seed) == sketch(keys.reversed(), seed: seed))
    }

    @Test(arguments: [0.2, 0.5, 0.8])
    func equalBinsEstimateJaccardSimilarity(target: Double) {
        // Sets of 400 keys sharing `target` of their union, for several seeds: the mean estimate is
        // close to the truth and no single estimate strays far (its standard deviation is ≈ 0.045).
        let shared = Int((800 * target / (1 + target)).rounded())
        let a = (0..<400).map { UInt32($0) }
        let b = (0..<shared).map { UInt32($0) } + (0..<(400 - shared)).map { UInt32(1_000_000 + $0) }
        let truth = Double(shared) / Double(800 - shared)
        var total = 0.0
        for round in 0..<20 {
            let estimate = agreement(sketch(a, seed: UInt64(round)), sketch(b, seed: UInt64(round)))
            #expect(abs(estimate - truth) < 0.2)
            total += estimate
        }
        #expect(abs(total / 20 - truth) < 0.04)
    }

    @Test func smallSetAgainstItsSupersetEstimatesTheirJaccardSimilarity() {
        // A lead paragraph (30 shingles) inside its document (400): Jaccard 0.075.
        let document = (0..<400).map { UInt32($0 * 7 + 3) }
        let lead = Array(document.prefix(30))
        var total = 0.0
        for round in 0..<20 {
            total += agreement(sketch(lead, seed: UInt64(round)), sketch(document, seed: UInt64(round)))
        }
        #expect(abs(total / 20 - 0.075) < 0.03)
    }
}
