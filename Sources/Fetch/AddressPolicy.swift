import Glibc

/// Decides which resolved addresses a fetch may connect to.
///
/// Non-public addresses are refused unless the options allow them: loopback, RFC 1918 private,
/// link-local, CGNAT (100.64/10), "this network", benchmarking, documentation, multicast and
/// reserved IPv4 ranges; IPv6 unspecified, loopback, ULA (fc00::/7), link-local, site-local,
/// multicast and documentation ranges; and any IPv6 form embedding an IPv4 address
/// (v4-mapped, v4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) whose IPv4 part is non-public.
enum AddressPolicy {
    /// True when `address` (numeric IPv4 or IPv6 text) is a public unicast address.
    static func isPublic(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            let b = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            return isPublicV4(b)
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 {
            let b = withUnsafeBytes(of: v6) { Array($0) }
            return isPublicV6(b)
        }
        return false
    }

    static func isPublicV4(_ b: [UInt8]) -> Bool {
        guard b.count == 4 else { return false }
        switch (b[0], b[1], b[2]) {
        case (0, _, _), (10, _, _), (127, _, _): return false
        case (100, 64...127, _): return false  // CGNAT
        case (169, 254, _): return false  // link-local
        case (172, 16...31, _): return false
        case (192, 0, 0), (192, 0, 2), (192, 88, 99), (192, 168, _): return false
        case (198, 18...19, _), (198, 51, 100), (203, 0, 113): return false
        case (224...255, _, _): return false  // multicast, reserved, broadcast
        default: return true
        }
    }

    static func isPublicV6(_ b: [UInt8]) -> Bool {
        guard b.count == 16 else { return false }
        let first10Zero = b[0..<10].allSatisfy { $0 == 0 }
        if first10Zero && b[10] == 0xff && b[11] == 0xff { return isPublicV4(Array(b[12..<16])) }  // v4-mapped
        if b[0..<12].allSatisfy({ $0 == 0 }) {
            return b[12..<16].allSatisfy { $0 == 0 } ? false : isPublicV4(Array(b[12..<16]))
        }
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xff, b[3] == 0x9b, b[4..<12].allSatisfy({ $0 == 0 }) {
            return isPublicV4(Array(b[12..<16]))  // NAT64
        }
        if b[0] == 0x20, b[1] == 0x02 { return isPublicV4(Array(b[2..<6])) }  // 6to4
        if b[0] & 0xfe == 0xfc { return false }  // ULA
        if b[0] == 0xfe, b[1] & 0xc0 == 0x80 || b[1] & 0xc0 == 0xc0 { return false }  // link-local, site-local
        if b[0] == 0xff { return false }  // multicast
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0d, b[3] == 0xb8 { return false }  // documentation
        if b[0] == 0x01, b[1] == 0x00, b[2..<8].allSatisfy({ $0 == 0 }) { return false }  // discard-only
        return true
    }
}
