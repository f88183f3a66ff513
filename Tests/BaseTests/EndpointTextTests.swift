import Base
import Testing

/// IPv4 endpoints are written digit by digit (`IPAddress.dotted`): the text must be the dotted
/// decimal every reader expects, `a.b.c.d:port`, for every byte and port value.
@Suite struct EndpointTextTests {
    @Test func everyIPv4EndpointReadsAsDottedDecimal() {
        var g = SystemRandomNumberGenerator()
        let edges: [UInt8] = [0, 1, 9, 10, 99, 100, 199, 200, 255]
        for n in 0..<20_000 {
            let bytes: [UInt8] = n < edges.count * 4
                ? (0..<4).map { edges[(n + $0 * 3) % edges.count] }
                : (0..<4).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            let port = UInt16(truncatingIfNeeded: n < 6 ? [0, 9, 10, 9_999, 10_000, 65_535][n] : Int(g.next() % 65_536))
            let address = IPAddress(bytes)
            let dotted = bytes.map { String($0) }.joined(separator: ".")
            #expect(address.description == dotted)
            #expect(Endpoint(address: address, port: port).description == dotted + ":" + String(port))
        }
    }
}
