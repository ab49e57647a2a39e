import Testing

@testable import Clustering

struct BucketTableTests {
    private func fill(_ table: BucketTable) {
        for index in 0..<table.count { table.base[index] = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 | 1 }
    }

    @Test(arguments: [false, true])
    func growingKeepsTheEntriesAndZeroesTheRest(growable: Bool) {
        let table = BucketTable(count: 1024, growable: growable)
        #expect((0..<1024).allSatisfy { table.base[$0] == 0 })
        fill(table)
        // Past 2 MiB, then far past it.
        for count in [4096, 1 << 19, 1 << 20] {
            let old = table.count
            table.grow(to: count)
            #expect(table.count == count)
            #expect((0..<old).allSatisfy { table.base[$0] == UInt64($0) &* 0x9E37_79B9_7F4A_7C15 | 1 })
            #expect((old..<count).allSatisfy { table.base[$0] == 0 })
            for index in old..<count { table.base[index] = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 | 1 }
        }
    }
}
