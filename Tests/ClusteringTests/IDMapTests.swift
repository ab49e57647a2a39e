import Testing

@testable import Clustering

struct IDMapTests {
    /// A hash whose tag is `tag`: every hash with the same low tag bits starts at the same entry.
    private func crafted(_ tag: UInt32, _ low: UInt32 = 0) -> UInt64 {
        UInt64(tag) << 32 | UInt64(low)
    }

    @Test func findsWhatWasInserted() {
        var map = IDMap(seed: 7)
        let ids = (0..<100).map { "doc-\($0)" }
        for (value, id) in ids.enumerated() { map.insert(hash: map.hash(id), value: UInt32(value)) }
        #expect(map.count == 100)
        for (value, id) in ids.enumerated() {
            #expect(map.find(hash: map.hash(id)) { ids[Int($0)] == id } == UInt32(value))
        }
        #expect(map.find(hash: map.hash("absent")) { ids[Int($0)] == "absent" } == nil)
    }

    @Test func equalTagsAreTellApartByTheCaller() {
        var map = IDMap(seed: 0)
        // Three values on one probe run with the same tag.
        map.insert(hash: crafted(5), value: 10)
        map.insert(hash: crafted(5), value: 11)
        map.insert(hash: crafted(5), value: 12)
        #expect(map.find(hash: crafted(5)) { $0 == 11 } == 11)
        #expect(map.find(hash: crafted(5)) { $0 == 12 } == 12)
        #expect(map.find(hash: crafted(5)) { $0 == 13 } == nil)
        #expect(map.find(hash: crafted(6)) { _ in true } == nil)
    }

    @Test func removalKeepsTheRestOfTheRunReachable() {
        var map = IDMap(seed: 0)
        // Homes 3, 3, 4, 3, 5 (table of 64 entries): one run from entry 3 to 7.
        let hashes = [crafted(3), crafted(64 + 3), crafted(4), crafted(128 + 3), crafted(5)]
        for (value, hash) in hashes.enumerated() { map.insert(hash: hash, value: UInt32(value)) }
        map.remove(hash: hashes[0], value: 0)
        #expect(map.count == 4)
        #expect(map.find(hash: hashes[0]) { $0 == 0 } == nil)
        for value in 1..<hashes.count {
            #expect(map.find(hash: hashes[value]) { $0 == UInt32(value) } == UInt32(value))
        }
        map.remove(hash: hashes[2], value: 2)
        for value in [1, 3, 4] {
            #expect(map.find(hash: hashes[value]) { $0 == UInt32(value) } == UInt32(value))
        }
        // Removing a value that is not there changes nothing.
        map.remove(hash: hashes[2], value: 2)
        map.remove(hash: crafted(9), value: 1)
        #expect(map.count == 3)
    }

    @Test func runsWrapAroundTheEndOfTheTable() {
        var map = IDMap(seed: 0)
        let hashes = [crafted(62), crafted(63), crafted(126), crafted(127), crafted(1)]
        for (value, hash) in hashes.enumerated() { map.insert(hash: hash, value: UInt32(value)) }
        map.remove(hash: hashes[1], value: 1)
        for value in [0, 2, 3, 4] {
            #expect(map.find(hash: hashes[value]) { $0 == UInt32(value) } == UInt32(value))
        }
    }

    @Test func removedValuesAreReusedAndGrowthKeepsEverything() {
        var map = IDMap(seed: 42)
        var ids = (0..<20_000).map { "https://example.com/news/\($0)" }
        for (value, id) in ids.enumerated() { map.insert(hash: map.hash(id), value: UInt32(value)) }
        for value in stride(from: 0, to: ids.count, by: 2) {
            map.remove(hash: map.hash(ids[value]), value: UInt32(value))
        }
        #expect(map.count == 10_000)
        // Reuse the freed values for new ids.
        for value in stride(from: 0, to: ids.count, by: 2) {
            ids[value] = "reused-\(value)"
            map.insert(hash: map.hash(ids[value]), value: UInt32(value))
        }
        #expect(map.count == 20_000)
        for (value, id) in ids.enumerated() {
            #expect(map.find(hash: map.hash(id)) { ids[Int($0)] == id } == UInt32(value))
        }
        #expect(map.find(hash: map.hash("https://example.com/news/0")) { ids[Int($0)] == "x" } == nil)
    }

    @Test func reservedCapacityHoldsTheValues() {
        var map = IDMap(seed: 1)
        map.reserveCapacity(5000)
        for value in 0..<5000 { map.insert(hash: map.hash("\(value)"), value: UInt32(value)) }
        for value in 0..<5000 { #expect(map.find(hash: map.hash("\(value)")) { $0 == UInt32(value) } == UInt32(value)) }
    }

    @Test func hashDependsOnEveryByteAndTheSeed() {
        let map = IDMap(seed: 3)
        let other = IDMap(seed: 4)
        #expect(map.hash("0123456789abcdef") == map.hash("0123456789abcdef"))
        #expect(map.hash("0123456789abcdef") != map.hash("0123456789abcdeg"))
        #expect(map.hash("0123456789abcdef") != map.hash("1123456789abcdef"))
        #expect(map.hash("") != map.hash("\0"))
        #expect(map.hash("ab") != other.hash("ab"))
        // Ids compare by their UTF-8 bytes: canonically equivalent spellings are different ids.
        #expect(map.hash("caf\u{E9}") != map.hash("cafe\u{301}"))
    }
}
