import Testing
@testable import Capture
@testable import SIP
import Base

// Byte builders for the SIP layer tests: SIP text, and just enough Ethernet/IPv4/UDP/TCP/ICMP to
// feed the extractor whole frames.

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}
extension ArraySlice where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}

/// A SIP MESSAGE with CRLF lines; `contentLength` nil writes the real length, "" leaves the header out.
func sipMessage(callID: String = "call-1", cseq: Int = 1, branch: String = "z9hG4bK-1", body: String = "hello",
                contentLength: String? = nil, extraHeaders: [String] = [], method: String = "MESSAGE") -> String {
    var lines = ["\(method) sip:44@10.0.0.2 SIP/2.0",
                 "Via: SIP/2.0/TCP 10.0.0.1:5060;branch=\(branch)",
                 "From: <sip:pbx@10.0.0.1>;tag=a1",
                 "To: <sip:44@10.0.0.2>",
                 "Call-ID: \(callID)",
                 "CSeq: \(cseq) \(method)",
                 "Content-Type: application/x-buttons"] + extraHeaders
    let cl = contentLength ?? String(body.utf8.count)
    if !cl.isEmpty || contentLength == nil { lines.append("Content-Length: \(cl)") }
    return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
}

func sipResponse(code: Int = 200, callID: String = "call-1", cseq: Int = 1, branch: String = "z9hG4bK-1") -> String {
    ["SIP/2.0 \(code) OK", "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=\(branch)", "From: <sip:pbx@10.0.0.1>;tag=a1",
     "To: <sip:44@10.0.0.2>;tag=b2", "Call-ID: \(callID)", "CSeq: \(cseq) MESSAGE", "Content-Length: 0"]
        .joined(separator: "\r\n") + "\r\n\r\n"
}

func parse(_ s: String) -> SIPMessage? { SIPHeaderParser.parse(bytes(s)) }

let addrA: [UInt8] = [10, 0, 0, 1]
let addrB: [UInt8] = [10, 0, 0, 2]
let epA = Endpoint(address: IPAddress(addrA), port: 5060)
let epB = Endpoint(address: IPAddress(addrB), port: 5060)

enum Packet {
    static func ethernet(_ ip: [UInt8]) -> [UInt8] {
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] + be16(0x0800) + ip
    }

    static func ipv4(src: [UInt8] = addrA, dst: [UInt8] = addrB, proto: UInt8, id: UInt16 = 1,
                     moreFragments: Bool = false, offset: Int = 0, totalLength: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        let total = totalLength ?? 20 + payload.count
        return [0x45, 0] + be16(UInt16(total)) + be16(id) + be16(UInt16((moreFragments ? 0x2000 : 0) | offset / 8))
            + [64, proto, 0, 0] + src + dst + payload
    }

    static func udp(sport: UInt16 = 5060, dport: UInt16 = 5060, _ payload: [UInt8]) -> [UInt8] {
        be16(sport) + be16(dport) + be16(UInt16(8 + payload.count)) + [0, 0] + payload
    }

    static func tcp(sport: UInt16 = 40000, dport: UInt16 = 5060, seq: UInt32, ack: UInt32 = 0,
                    flags: UInt8 = 0x18, _ payload: [UInt8] = []) -> [UInt8] {
        be16(sport) + be16(dport) + be32(seq) + be32(ack) + [0x50, flags] + be16(65535) + [0, 0, 0, 0] + payload
    }

    static func frame(_ n: Int, _ bytes: [UInt8], seconds: Int64 = 1_700_000_000, originalLength: Int? = nil,
                      linkType: LinkType = .ethernet) -> CapturedFrame {
        CapturedFrame(number: n, timestamp: Timestamp(seconds: seconds, nanoseconds: 0), linkType: linkType,
                      bytes: bytes, originalLength: originalLength ?? bytes.count)
    }
}

/// Collects a framer's output.
struct FramerHarness {
    var framer = SIPStreamFramer()
    var messages: [FramedMessage] = []
    var diagnostics: [Diagnostic] = []

    mutating func feed(_ b: [UInt8], frame: Int, seconds: Int64 = 0) {
        var out: [SIPStreamFramer.Output] = []
        framer.append(b[...], frame: frame, time: Timestamp(seconds: seconds, nanoseconds: 0)) { out.append($0) }
        take(out)
    }
    mutating func feed(_ s: String, frame: Int) { feed(bytes(s), frame: frame) }

    mutating func gap(_ missing: Int, frame: Int, truncated: Bool = false) {
        var out: [SIPStreamFramer.Output] = []
        framer.gap(missing: missing, frame: frame, truncatedByCapture: truncated) { out.append($0) }
        take(out)
    }

    mutating func close() {
        var out: [SIPStreamFramer.Output] = []
        framer.close { out.append($0) }
        take(out)
    }

    private mutating func take(_ out: [SIPStreamFramer.Output]) {
        for o in out {
            switch o {
            case .message(let m): messages.append(m)
            case .diagnostic(let d): diagnostics.append(d)
            }
        }
    }

    var callIDs: [String] { messages.map { $0.message.callID ?? "?" } }
}
