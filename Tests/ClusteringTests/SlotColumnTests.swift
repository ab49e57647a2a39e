import Testing

@testable import Clustering

struct SlotColumnTests {
    @Test func appendsKeepEveryValueInPlace() {
        let column = SlotColumn<UInt16>(width: 128)
        let first = column.base
        var expected: [UInt16] = []
        for document in 0..<5000 {
            let values = (0..<128).map { UInt16(truncatingIfNeeded: document &* 131 &+ $0) }
            column.append(contentsOf: values)
            expected += values
        }
        column.append(7, repetitions: 3)
        expected += [7, 7, 7]
        #expect(column.count == expected.count)
        #expect(Array(column.buffer) == expected)
        // A reserved column never moves.
        #expect(column.base == first)
        column[5] = 42
        #expect(column[5] == 42)
    }

    @Test func anEmptyAppendChangesNothing() {
        let column = SlotColumn<UInt32>(width: 1)
        column.append(contentsOf: [])
        column.append(1, repetitions: 0)
        #expect(column.count == 0)
        #expect(column.buffer.isEmpty)
    }
}
