import Testing
import TLSKeys

/// The client random, the key a key log is looked up by, comes from a ClientHello record only.
@Suite struct TLSClientHelloTests {
    @Test func clientRandomComesFromAClientHelloOnly() {
        var hello: [UInt8] = [22, 3, 1, 0, 200, 1, 0, 0, 196, 3, 3]
        hello += (0..<32).map { UInt8($0) }
        hello += [UInt8](repeating: 0, count: 20)
        #expect(TLSClientHello.clientRandom(hello) == (0..<32).map { UInt8($0) })
        var serverHello = hello
        serverHello[5] = 2
        #expect(TLSClientHello.clientRandom(serverHello) == nil)
        #expect(TLSClientHello.clientRandom(Array(hello.prefix(42))) == nil)
        #expect(TLSClientHello.clientRandom(Array("REGISTER sip:x SIP/2.0\r\n\r\n0123456789012345678".utf8)) == nil)
    }
}
