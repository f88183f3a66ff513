import Base
import Testing

/// Addresses as the outputs print them (RFC 5952 for IPv6) and the fixed order ties are broken by.
@Suite struct EndpointTests {
    func v6(_ groups: [UInt16]) -> IPAddress { IPAddress(groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }) }

    @Test func ipv4AndIPv6Endpoints() {
        #expect(Endpoint(address: IPAddress([192, 0, 2, 1]), port: 5060).description == "192.0.2.1:5060")
        #expect(Endpoint(address: v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]), port: 5061).description == "[2001:db8::1]:5061")
    }

    /// RFC 5952 §4.2: the longest run of zero groups becomes `::`, the first of equal runs, never a
    /// single zero group; §4.3: lower-case hex without leading zeros.
    @Test func ipv6TextFollowsRFC5952() {
        #expect(v6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 0]).description == "2001:db8:0:0:1::")
        #expect(v6([0x2001, 0, 0, 1, 0, 0, 1, 1]).description == "2001::1:0:0:1:1")
        #expect(v6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]).description == "2001:db8:0:1:1:1:1:1")
        #expect(v6([0, 0, 0, 0, 0, 0, 0, 0]).description == "::")
        #expect(v6([0, 0, 0, 0, 0, 0, 0, 1]).description == "::1")
        #expect(v6([0xFE80, 0, 0, 0, 0x0ABC, 0, 0, 0]).description == "fe80::abc:0:0:0")
    }

    @Test func bytesComeBackInNetworkOrder() {
        let six: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [9]
        #expect(IPAddress(six).bytes == six && IPAddress(six).isIPv6)
        #expect(IPAddress([10, 0, 0, 44]).bytes == [10, 0, 0, 44] && !IPAddress([10, 0, 0, 44]).isIPv6)
        #expect(IPAddress([10, 0, 0, 1]) != IPAddress([10, 0, 0, 2]))
    }

    @Test func orderIsLengthThenBytesThenPort() {
        let a = Endpoint(address: IPAddress([10, 0, 0, 1]), port: 5060)
        let b = Endpoint(address: IPAddress([10, 0, 0, 2]), port: 1)
        let six = Endpoint(address: v6([0, 0, 0, 0, 0, 0, 0, 1]), port: 1)
        #expect(a.precedes(b) && !b.precedes(a))
        #expect(b.precedes(six), "every IPv4 address before every IPv6 one")
        #expect(Endpoint(address: a.address, port: 5060).precedes(Endpoint(address: a.address, port: 5061)))
        #expect(!a.precedes(a))
    }
}
