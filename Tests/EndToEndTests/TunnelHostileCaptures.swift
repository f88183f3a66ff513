import Foundation
import TestSupport

/// Tunnel bombs, each followed by the normal MESSAGE for key 7 of phone 44 (see `HostileCapture`).
extension HostileCapture {
    /// GRE inside GRE inside GRE… `depth` times around a SIP MESSAGE, in `frames` frames.
    static func nestedGRE(depth: Int = 1000, frames: Int = 200) -> Data {
        var c = HostileCapture()
        var inner: [UInt8] = be16(5060) + be16(5060) + [0, 0, 0, 0] + message("buried")
        inner = ipv4Header(proto: 17, inner.count) + inner
        for _ in 0..<depth - 1 {
            inner = ipv4Header(proto: 47, 8 + inner.count) + be16(0x2000) + be16(0x0800) + be32(1) + inner
        }
        for _ in 0..<frames { c.ipv4(pbx, phone, proto: 47, be16(0x2000) + be16(0x0800) + be32(1) + inner) }
        c.normalTail()
        return c.data
    }

    /// Tunnel headers whose lengths run past the packet or whose chains never end: an MPLS stack
    /// without a bottom, GTP-U extension headers each announcing another, Geneve options longer
    /// than the datagram, a GRE routing list with no end.
    static func tunnelChainsThatNeverEnd() -> Data {
        var c = HostileCapture()
        let mac: [UInt8] = [2, 0, 0, 0, 0, 44, 2, 0, 0, 0, 0, 1]
        c.frame(mac + be16(0x8847) + (0..<300).flatMap { _ in be32(9 << 12) })
        let chain: [UInt8] = [0, 0, 0, 0x85] + (0..<300).flatMap { _ -> [UInt8] in [1, 0, 0, 0x85] }
        c.ipv4(pbx, phone, proto: 17, be16(2152) + be16(2152) + be16(UInt16(16 + chain.count)) + [0, 0]
               + [0x34, 255] + be16(UInt16(chain.count)) + be32(1) + chain)
        c.ipv4(pbx, phone, proto: 17, be16(1) + be16(6081) + be16(16) + [0, 0] + [63, 0] + be16(0x6558) + be32(0))
        let routes: [UInt8] = (0..<300).flatMap { _ -> [UInt8] in be16(0x0800) + [0, 4, 1, 2, 3, 4] }
        c.ipv4(pbx, phone, proto: 47, be16(0x4000) + be16(0x0800) + [0, 0, 0, 0] + routes)
        c.normalTail()
        return c.data
    }

    private static func ipv4Header(proto: UInt8, _ payloadLength: Int) -> [UInt8] {
        [0x45, 0] + be16(UInt16(truncatingIfNeeded: 20 + payloadLength)) + be16(1) + be16(0) + [64, proto, 0, 0] + pbx + phone
    }
}
