import FoundationEssentials
import Model

/// The compact BLOB form of signature values: consecutive little-endian `UInt64`s.
enum SignatureCodec {
    static func encode(_ values: [UInt64]) -> Data {
        var data = Data(count: values.count * 8)
        data.withUnsafeMutableBytes { buffer in
            for (index, value) in values.enumerated() {
                buffer.storeBytes(of: value.littleEndian, toByteOffset: index * 8, as: UInt64.self)
            }
        }
        return data
    }

    /// Decodes `count` values, or returns `nil` when the BLOB has another length.
    static func decode(_ data: Data, count: Int) -> [UInt64]? {
        guard count >= 0, data.count == count * 8 else { return nil }
        return data.withUnsafeBytes { buffer in
            [UInt64](unsafeUninitializedCapacity: count) { values, initialized in
                for index in 0..<count {
                    values[index] = UInt64(
                        littleEndian: buffer.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
                }
                initialized = count
            }
        }
    }
}
