/// One per-document column of the ``ClusterIndex`` (signatures, chain links, counts …): `count`
/// elements that only ever grow at the end, in address space reserved up front.
///
/// An array of a million documents' values doubles and copies itself about twenty times on the
/// way, each copy into memory touched for the first time; a column grows in place, so every value
/// is written once and nothing is copied. On Linux the reservation is an anonymous mapping (address
/// space, not memory: pages are allocated when first touched). It is not advised for huge pages:
/// measured on the build machines (virtual), the first touch of a fresh 2 MiB page cost up to six
/// times that of its 4 KiB pages, and a column is read at a few random documents per operation,
/// not at one entry per band like the bucket table. Pages are committed ahead of the end in runs of
/// ``populateRun`` bytes (``AnonymousMemory/populate(_:bytes:)``), or up to a size announced with
/// ``reserve(_:)``, rather than by one fault per page as appends first touch them. Elsewhere, or
/// beyond the reservation, the column moves to a larger allocation as an array would.
final class SlotColumn<Element: BitwiseCopyable> {
    /// The first element.
    private(set) var base: UnsafeMutablePointer<Element>
    /// The number of elements.
    private(set) var count = 0
    /// Elements that fit without moving.
    private var capacity: Int
    /// Bytes mapped at `base` (0 when `base` is an ordinary allocation).
    private var mappedBytes: Int
    /// Bytes at `base` whose pages are committed (page-aligned), when populating works.
    private var populatedBytes = 0
    /// Whether the kernel populates pages on request (cleared at the first refusal).
    private var populates = true

    /// Bytes committed past the end at a time: a run of pages, not one fault per page.
    static var populateRun: Int { 1 << 20 }

    /// Address space reserved per column: room for this many documents.
    static var reservedDocuments: Int { 1 << 27 }

    /// Creates an empty column for `width` elements per document.
    ///
    /// - Parameters:
    ///   - width: Elements per document (a signature's values, a band's links, or 1).
    init(width: Int) {
        let stride = MemoryLayout<Element>.stride
        let bytes = Self.reservedDocuments * max(1, width) * stride
        if let mapped = AnonymousMemory.map(bytes, reserveOnly: true, hugePages: false) {
            base = mapped.bindMemory(to: Element.self, capacity: bytes / stride)
            capacity = bytes / stride
            mappedBytes = bytes
            return
        }
        capacity = 64 * max(1, width)
        base = .allocate(capacity: capacity)
        mappedBytes = 0
    }

    deinit { AnonymousMemory.release(base, mappedBytes: mappedBytes) }

    /// The element at `index` (below `count`).
    @inline(__always)
    subscript(index: Int) -> Element {
        get { base[index] }
        set { base[index] = newValue }
    }

    /// The elements, as a buffer (valid until the next append).
    @inline(__always)
    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    /// Appends `value` `repetitions` times.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - repetitions: How many times.
    @inline(__always)
    func append(_ value: Element, repetitions: Int = 1) {
        makeRoom(repetitions)
        (base + count).initialize(repeating: value, count: repetitions)
        count += repetitions
    }

    /// Appends the elements of `values`.
    ///
    /// - Parameters:
    ///   - values: The values.
    @inline(__always)
    func append(contentsOf values: [Element]) {
        values.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Appends the elements of `values`.
    ///
    /// - Parameters:
    ///   - values: The values.
    @inline(__always)
    func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard let source = values.baseAddress else { return }
        makeRoom(values.count)
        (base + count).initialize(from: source, count: values.count)
        count += values.count
    }

    /// Commits the memory of the first `elements` elements now (never shrinks anything), so that
    /// appending up to them touches no fresh page.
    ///
    /// - Parameters:
    ///   - elements: The number of elements.
    func reserve(_ elements: Int) {
        populate(upTo: min(elements, capacity) * MemoryLayout<Element>.stride)
    }

    @inline(__always)
    private func makeRoom(_ added: Int) {
        let needed = count + added
        if needed > capacity {
            move(minimumCapacity: needed)
        } else if needed * MemoryLayout<Element>.stride > populatedBytes, populates {
            populate(upTo: needed * MemoryLayout<Element>.stride + Self.populateRun)
        }
    }

    /// Commits the pages of the mapping up to `bytes` (rounded up to a page, within the mapping).
    private func populate(upTo bytes: Int) {
        guard mappedBytes > 0, populates else { return }
        let page = AnonymousMemory.pageSize
        let end = min(mappedBytes, (bytes + page - 1) / page * page)
        guard end > populatedBytes else { return }
        if AnonymousMemory.populate(UnsafeMutableRawPointer(base) + populatedBytes, bytes: end - populatedBytes) {
            populatedBytes = end
        } else {
            populates = false
        }
    }

    /// Moves the elements to an allocation of at least twice the capacity.
    private func move(minimumCapacity: Int) {
        let newCapacity = max(minimumCapacity, capacity * 2)
        let moved = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        moved.initialize(from: base, count: count)
        AnonymousMemory.release(base, mappedBytes: mappedBytes)
        base = moved
        capacity = newCapacity
        mappedBytes = 0
        populatedBytes = 0
    }
}
