import Testing

@testable import Clustering

#if canImport(Glibc)
    import Glibc
#endif

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

    #if canImport(Glibc)
        /// Pages of `bytes` at `start` that are resident (`mincore`).
        private func residentPages(_ start: UnsafeRawPointer, bytes: Int) -> Int {
            let page = AnonymousMemory.pageSize
            var vector = [UInt8](repeating: 0, count: (bytes + page - 1) / page)
            let status = mincore(UnsafeMutableRawPointer(mutating: start), bytes, &vector)
            #expect(status == 0)
            return vector.reduce(0) { $0 + Int($1 & 1) }
        }

        /// Whether this kernel commits pages on request (`MADV_POPULATE_WRITE`, Linux 5.14).
        private var kernelPopulates: Bool {
            let page = AnonymousMemory.pageSize
            guard let probe = AnonymousMemory.map(page, reserveOnly: true, hugePages: false) else { return false }
            defer { munmap(probe, page) }
            return AnonymousMemory.populate(probe, bytes: page)
        }

        @Test func reservingCommitsTheColumnsMemoryAndAppendsCommitAhead() {
            let page = AnonymousMemory.pageSize
            let column = SlotColumn<UInt64>(width: 1)
            let reserved = 8 << 20 / MemoryLayout<UInt64>.stride
            #expect(residentPages(column.base, bytes: 8 << 20) == 0)
            column.reserve(reserved)
            let pages = (8 << 20) / page
            // Committed now (where the kernel can), not at each page's first touch.
            #expect(residentPages(column.base, bytes: 8 << 20) == (kernelPopulates ? pages : 0))
            // Appending past the reservation commits one run ahead of the end, not page by page.
            for value in 0..<(reserved + 1) { column.append(UInt64(value)) }
            let beyond = UnsafeRawPointer(column.base + reserved)
            let run = SlotColumn<UInt64>.populateRun
            if kernelPopulates {
                #expect(residentPages(beyond, bytes: run) == run / page)
            }
            #expect(residentPages(beyond + 2 * run, bytes: run) == 0)
            #expect(column[reserved] == UInt64(reserved))
            #expect(column[12_345] == 12_345)
        }
    #endif
}
