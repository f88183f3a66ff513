import Base

/// What a HEP (EEP) envelope says about the message it carries: where and when the capture agent
/// saw it, and who that agent was. Kept beside the message so a HOMER user can find it again.
public struct HEPEnvelope: Sendable, Equatable {
    public var version: Int
    /// The original transport (17 UDP, 6 TCP, 132 SCTP), chunk 2.
    public var ipProtocol: UInt8?
    /// The original endpoints (chunks 3-8), as the agent saw them.
    public var source: Endpoint?
    public var destination: Endpoint?
    /// The original capture time (chunks 9-10).
    public var time: Timestamp?
    /// Chunk 11: 1 is SIP.
    public var payloadType: UInt8?
    /// The capture agent's node ID (chunk 12).
    public var nodeID: UInt32?
    /// The capture agent's name (chunk 19), when it sends one.
    public var nodeName: String?
    /// Chunk 17: the agent's correlation ID (often the Call-ID of the dialog).
    public var correlationID: String?
    /// The payload came compressed (chunk 16).
    public var wasCompressed = false
    /// The address the HEP packet itself came from: the capture agent (a collector tells two
    /// agents with the same node ID apart by it).
    public var agent: Endpoint?

    public init(version: Int) { self.version = version }
}

/// One HEP packet read: the envelope, the payload (inflated), and what was wrong with it.
public struct HEPPacket: Sendable {
    public var envelope: HEPEnvelope
    /// The carried message; nil when no payload chunk could be read.
    public var payload: [UInt8]?
    /// Bytes this packet took (HEP3: its total length; HEP1/2: the whole unit).
    public var length: Int
    public var problems: [CarrierProblem]
}

/// Reads HEP (Homer Encapsulation Protocol, a.k.a. EEP) versions 1, 2 and 3 from bytes: pure,
/// no state, so a capture file and a live collector can share it.
public enum HEPDecoder {
    public enum Decoded: Sendable {
        case packet(HEPPacket)
        /// A HEP3 packet whose declared length runs past the bytes given: more may come on a stream.
        case needMore(declared: Int)
        /// Not HEP (or a HEP header that cannot be right).
        case notHEP(CarrierProblem?)
    }

    /// The bound on an inflated payload: a SIP message is a few KiB; a bomb stops here.
    public static let defaultMaxInflated = 64 << 10

    /// Cheap test on the first bytes: "HEP3", or a plausible HEP1/HEP2 fixed header.
    public static func mayBegin(_ b: ArraySlice<UInt8>) -> Bool {
        let s = b.startIndex
        guard b.count >= 4 else { return false }
        if b[s] == 0x48, b[s + 1] == 0x45, b[s + 2] == 0x50, b[s + 3] == 0x33 { return true }
        return legacyHeader(b) != nil
    }

    /// HEP1/2's fixed header: version, header length, family, protocol, ports, then addresses;
    /// version 2 adds seconds, microseconds and a capture ID (12 bytes with padding).
    private static func legacyHeader(_ b: ArraySlice<UInt8>) -> (version: Int, headerLength: Int, family: UInt8, proto: UInt8)? {
        let s = b.startIndex
        guard b.count >= 8 else { return nil }
        let version = Int(b[s]), length = Int(b[s + 1]), family = b[s + 2], proto = b[s + 3]
        guard version == 1 || version == 2 else { return nil }
        guard (family == 2 && length == 16) || (family == 10 && length == 40) else { return nil }
        guard proto == 17 || proto == 6 || proto == 132 else { return nil }
        let full = length + (version == 2 ? 12 : 0)
        guard b.count > full else { return nil }
        return (version, length, family, proto)
    }

    /// Decodes the packet at the start of `b`. `maxInflated` bounds a compressed payload.
    public static func decode(_ b: ArraySlice<UInt8>, maxInflated: Int = defaultMaxInflated) -> Decoded {
        let s = b.startIndex
        if b.count >= 4, b[s] == 0x48, b[s + 1] == 0x45, b[s + 2] == 0x50, b[s + 3] == 0x33 {
            return decode3(b, maxInflated: maxInflated)
        }
        guard let h = legacyHeader(b) else { return .notHEP(nil) }
        var envelope = HEPEnvelope(version: h.version)
        envelope.ipProtocol = h.proto
        let sp = b.u16be(s + 4)!, dp = b.u16be(s + 6)!
        let addressLength = h.family == 2 ? 4 : 16
        let src = IPAddress(b[(s + 8)..<(s + 8 + addressLength)])
        let dst = IPAddress(b[(s + 8 + addressLength)..<(s + 8 + 2 * addressLength)])
        envelope.source = Endpoint(address: src, port: sp)
        envelope.destination = Endpoint(address: dst, port: dp)
        var payloadStart = s + h.headerLength
        if h.version == 2 {
            // tv_sec, tv_usec, captid in host order of the agent: Kamailio and captagent write them
            // little-endian on the machines they run on (x86, ARM). Plausibility picks the order.
            let t = s + h.headerLength
            let secLE = b.u32(t, bigEndian: false)!, usecLE = b.u32(t + 4, bigEndian: false)!
            let secBE = b.u32(t, bigEndian: true)!, usecBE = b.u32(t + 4, bigEndian: true)!
            let littleEndian = usecLE < 1_000_000 && (usecBE >= 1_000_000 || secLE <= secBE)
            let (sec, usec) = littleEndian ? (secLE, usecLE) : (secBE, usecBE)
            if usec < 1_000_000 { envelope.time = Timestamp(seconds: Int64(sec), nanoseconds: Int64(usec) * 1000) }
            envelope.nodeID = UInt32(b.u16(t + 8, bigEndian: !littleEndian)!)
            payloadStart = t + 12
        }
        envelope.payloadType = 1
        return .packet(HEPPacket(envelope: envelope, payload: Array(b[payloadStart...]), length: b.count, problems: []))
    }

    private static func decode3(_ b: ArraySlice<UInt8>, maxInflated: Int) -> Decoded {
        let s = b.startIndex
        guard let total16 = b.u16be(s + 4) else { return .needMore(declared: 6) }
        let total = Int(total16)
        guard total >= 6 else {
            return .notHEP(CarrierProblem(code: CaptureCode.hepBadLength, message: "a HEP3 header declares a total length of \(total) bytes, less than its own 6"))
        }
        guard b.count >= total else { return .needMore(declared: total) }
        var envelope = HEPEnvelope(version: 3)
        var problems: [CarrierProblem] = []
        var payload: [UInt8]?
        var compressed: ArraySlice<UInt8>?
        var v4src: IPAddress?, v4dst: IPAddress?, v6src: IPAddress?, v6dst: IPAddress?
        var sport: UInt16?, dport: UInt16?, sec: UInt32?, usec: UInt32?
        var i = s + 6
        let end = s + total
        while i < end {
            guard i + 6 <= end, let vendor = b.u16be(i), let type = b.u16be(i + 2), let length16 = b.u16be(i + 4) else {
                problems.append(CarrierProblem(code: CaptureCode.hepChunkTruncated, message: "a HEP3 chunk header is cut by the packet's end (\(end - i) bytes left)"))
                break
            }
            let length = Int(length16)
            guard length >= 6, i + length <= end else {
                problems.append(CarrierProblem(code: CaptureCode.hepChunkLength, message: "HEP3 chunk type \(type) declares \(length) bytes, but \(end - i) are left in the packet: the rest of the packet is skipped"))
                break
            }
            let data = b[(i + 6)..<(i + length)]
            i += length
            guard vendor == 0 else { continue }
            let d = data.startIndex
            switch type {
            case 2: envelope.ipProtocol = data.u8(d)
            case 3 where data.count == 4: v4src = IPAddress(data)
            case 4 where data.count == 4: v4dst = IPAddress(data)
            case 5 where data.count == 16: v6src = IPAddress(data)
            case 6 where data.count == 16: v6dst = IPAddress(data)
            case 7: sport = data.u16be(d)
            case 8: dport = data.u16be(d)
            case 9: sec = data.u32be(d)
            case 10: usec = data.u32be(d)
            case 11: envelope.payloadType = data.u8(d)
            case 12: envelope.nodeID = data.u32be(d)
            case 15: payload = Array(data)
            case 16: compressed = data
            case 17: envelope.correlationID = printable(data)
            case 19: envelope.nodeName = printable(data)
            default: continue
            }
        }
        if payload == nil, let z = compressed {
            envelope.wasCompressed = true
            switch ZlibInflater.inflate(z, maxOutput: maxInflated) {
            case .success(let inflated): payload = inflated
            case .failure(.tooLarge(let limit)):
                problems.append(CarrierProblem(code: CaptureCode.hepInflateTooLarge, message: "the compressed payload (\(z.count) bytes) inflates past \(limit / 1024) KiB: not read"))
            case .failure(.invalid(let why)):
                problems.append(CarrierProblem(code: CaptureCode.hepInflateFailed, message: "the compressed payload (\(z.count) bytes) cannot be inflated: \(why)"))
            }
        }
        if let a = v4src ?? v6src { envelope.source = Endpoint(address: a, port: sport ?? 0) }
        if let a = v4dst ?? v6dst { envelope.destination = Endpoint(address: a, port: dport ?? 0) }
        if let sec { envelope.time = Timestamp(seconds: Int64(sec), nanoseconds: Int64(min(usec ?? 0, 999_999)) * 1000) }
        if payload == nil && problems.isEmpty {
            problems.append(CarrierProblem(code: CaptureCode.hepNoPayload, message: "a HEP3 packet without a payload chunk (15 or 16)"))
        }
        return .packet(HEPPacket(envelope: envelope, payload: payload, length: total, problems: problems))
    }

    /// A short identifier for display: printable ASCII only, at most 256 bytes.
    private static func printable(_ d: ArraySlice<UInt8>) -> String {
        var trimmed = d.prefix(256)
        while let last = trimmed.last, last == 0 { trimmed = trimmed.dropLast() }
        return String(decoding: trimmed.map { $0 >= 0x20 && $0 < 0x7f ? $0 : 0x3f }, as: UTF8.self)
    }
}
