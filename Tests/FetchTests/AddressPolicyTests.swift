import Testing

@testable import Fetch

struct AddressPolicyTests {
    @Test(arguments: [
        "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1",
        "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3",
        "::ffff:169.254.169.254", "64:ff9b::7f00:1", "2002:c0a8:0101::1", "2001:db8::1", "not an address",
    ])
    func nonPublicAddressesAreRefused(address: String) {
        #expect(!AddressPolicy.isPublic(address))
    }

    @Test(arguments: [
        "93.184.216.34", "1.1.1.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1",
        "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:93.184.216.34", "64:ff9b::808:808",
    ])
    func publicAddressesAreAllowed(address: String) {
        #expect(AddressPolicy.isPublic(address))
    }
}
