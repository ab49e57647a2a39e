#if canImport(Glibc)
    import Glibc
#endif

/// Anonymous memory mappings for the index's large tables (``BucketTable``, ``SlotColumn``), and
/// the release of storage that is either such a mapping or an ordinary allocation.
enum AnonymousMemory {
    /// A zeroed anonymous mapping of `bytes`, or `nil` where none can be made (or off Linux).
    ///
    /// - Parameters:
    ///   - bytes: The size of the mapping.
    ///   - reserveOnly: Map without committing memory for it (`MAP_NORESERVE`); pages are
    ///     allocated when first touched either way.
    ///   - hugePages: Advise transparent huge pages for it.
    /// - Returns: The mapping's start.
    static func map(_ bytes: Int, reserveOnly: Bool, hugePages: Bool) -> UnsafeMutableRawPointer? {
        #if canImport(Glibc)
            let flags = MAP_PRIVATE | MAP_ANONYMOUS | (reserveOnly ? MAP_NORESERVE : 0)
            guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, flags, -1, 0),
                mapped != UnsafeMutableRawPointer(bitPattern: -1)
            else { return nil }
            if hugePages { _ = madvise(mapped, bytes, MADV_HUGEPAGE) }
            return mapped
        #else
            return nil
        #endif
    }

    /// Commits the pages of `bytes` at `start` (within a mapping from ``map(_:reserveOnly:hugePages:)``)
    /// in one call, zeroed, as their first touches would one fault at a time (`MADV_POPULATE_WRITE`,
    /// Linux 5.14): measured here, a third to a half of the time of those faults.
    ///
    /// - Parameters:
    ///   - start: The first byte (page-aligned).
    ///   - bytes: The length.
    /// - Returns: `false` where the kernel cannot (the pages are then committed when first
    ///   touched, as before).
    static func populate(_ start: UnsafeMutableRawPointer, bytes: Int) -> Bool {
        #if canImport(Glibc)
            return madvise(start, bytes, MADV_POPULATE_WRITE) == 0
        #else
            return false
        #endif
    }

    /// The size of a memory page.
    static let pageSize: Int = {
        #if canImport(Glibc)
            let size = sysconf(Int32(_SC_PAGESIZE))
            return size > 0 ? size : 4096
        #else
            return 4096
        #endif
    }()

    /// Releases storage at `base`: unmaps it when `mappedBytes` is above zero (it came from
    /// ``map(_:reserveOnly:hugePages:)``), deallocates it otherwise.
    ///
    /// - Parameters:
    ///   - base: The storage's start.
    ///   - mappedBytes: The mapping's size, or 0 for an ordinary allocation.
    static func release<Element>(_ base: UnsafeMutablePointer<Element>, mappedBytes: Int) {
        #if canImport(Glibc)
            if mappedBytes > 0 {
                _ = munmap(UnsafeMutableRawPointer(base), mappedBytes)
                return
            }
        #endif
        base.deallocate()
    }
}
