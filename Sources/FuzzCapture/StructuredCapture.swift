/// The structure-aware mode of the capture fuzzer: an input that begins with `BSF1` is not read as
/// a file but as instructions for one, so every run reaches past the file header into the record
/// and option parsing (and on into IP, TCP and SIP) instead of dying at a bad magic or length.
///
///     "BSF1" kind(1) header(…) then records
///     kind even: pcap — 16 fuzzed bytes for version, zone, sigfigs and snap length; Ethernet
///     kind odd:  pcapng — a section header, then 1–4 interfaces whose link type and options
///                (if_tsresol, if_tsoffset and any other) are fuzzed bytes
///     records: length(2, little-endian) + that many bytes, each wrapped in a valid record or
///              enhanced packet block (pcapng: the interface is the first byte of the record, mod
///              the interfaces described), with fuzzed timestamps
///
/// Lengths are made consistent, so the fuzzed parts are the fields and bytes, not the framing.
enum StructuredCapture {
    static let tag: [UInt8] = Array("BSF1".utf8)

    static func build(_ input: [UInt8]) -> [UInt8]? {
        guard input.count > 5, Array(input[0..<4]) == tag else { return nil }
        var reader = Cursor(bytes: input, at: 5)
        return input[4] & 1 == 0 ? pcap(&reader) : pcapng(&reader, interfaces: Int(input[4] >> 1 & 3) + 1)
    }

    private struct Cursor {
        let bytes: [UInt8]
        var at: Int
        mutating func take(_ n: Int) -> [UInt8] {
            let end = min(bytes.count, at + n)
            defer { at = end }
            return Array(bytes[at..<end]) + [UInt8](repeating: 0, count: n - (end - at))
        }
        var atEnd: Bool { at >= bytes.count }
        mutating func record() -> [UInt8]? {
            guard !atEnd else { return nil }
            let l = take(2)
            let n = Int(l[0]) | Int(l[1] & 0x0f) << 8
            return take(min(n, bytes.count - at))
        }
    }

    private static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }

    private static func pcap(_ c: inout Cursor) -> [UInt8] {
        var out: [UInt8] = [0xd4, 0xc3, 0xb2, 0xa1] + c.take(16)
        out += [0x01, 0, 0, 0]  // link type Ethernet unless the fuzzed bytes before change the rest
        while let r = c.record() {
            let time = c.take(8)
            out += time + le32(UInt32(r.count)) + le32(UInt32(r.count)) + r
        }
        return out
    }

    private static func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
        var padded = body
        while padded.count % 4 != 0 { padded.append(0) }
        let total = UInt32(12 + padded.count)
        return le32(type) + le32(total) + padded + le32(total)
    }

    private static func pcapng(_ c: inout Cursor, interfaces: Int) -> [UInt8] {
        var out = block(0x0A0D_0D0A, [0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0] + [UInt8](repeating: 0xff, count: 8))
        for _ in 0..<interfaces {
            let head = c.take(4)  // link type (2), option count, option selector
            var body: [UInt8] = [head[0] & 0x01 == 0 ? 1 : head[1], 0, 0, 0] + le32(262_144)
            for i in 0..<Int(head[2] & 3) {
                // if_tsresol (9), if_tsoffset (14), or any code, with fuzzed values of the right size.
                let code: UInt16 = (head[3] >> (2 * UInt8(i))) & 3 == 0 ? 9 : (head[3] >> (2 * UInt8(i))) & 3 == 1 ? 14 : UInt16(c.take(1)[0])
                let length = code == 9 ? 1 : code == 14 ? 8 : Int(c.take(1)[0] & 15)
                body += [UInt8(code & 0xff), UInt8(code >> 8), UInt8(length), 0] + c.take(length)
                while body.count % 4 != 0 { body.append(0) }
            }
            body += [0, 0, 0, 0]
            out += block(1, body)
        }
        while let r = c.record() {
            let iface = UInt32(r.first ?? 0) % UInt32(interfaces)
            let time = c.take(8)
            let data = Array(r.dropFirst())
            out += block(6, le32(iface) + time + le32(UInt32(data.count)) + le32(UInt32(data.count)) + data)
        }
        return out
    }
}
