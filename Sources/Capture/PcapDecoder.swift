import Base

/// Classic pcap: micro- or nanosecond magic, either byte order.
final class PcapDecoder {
    private let source: ByteSource
    private let bigEndian: Bool
    private let nanosecond: Bool
    private let linkType: LinkType
    private let snapLength: Int
    let formatName: String
    /// The last frame's bytes: reused for the next one when nobody kept them (see `ByteSource.read(_:into:)`).
    private var scratch: [UInt8] = []

    /// Largest record we accept, whatever the header's snap length says: libpcap's own ceiling
    /// (MAXIMUM_SNAPLEN) for every link type ButtonScope decodes.
    static let maxRecord = 262_144

    /// Returns nil when the magic is not pcap's.
    init?(source: ByteSource, path: String) throws {
        let magic = Array(source.peek(4))
        switch (magic[0], magic[1], magic[2], magic[3]) {
        case (0xa1, 0xb2, 0xc3, 0xd4): bigEndian = true; nanosecond = false
        case (0xd4, 0xc3, 0xb2, 0xa1): bigEndian = false; nanosecond = false
        case (0xa1, 0xb2, 0x3c, 0x4d): bigEndian = true; nanosecond = true
        case (0x4d, 0x3c, 0xb2, 0xa1): bigEndian = false; nanosecond = true
        default: return nil
        }
        self.source = source
        let header = Array(source.read(24))
        guard header.count == 24,
              let snap = header.u32(16, bigEndian: bigEndian),
              let link = header.u32(20, bigEndian: bigEndian) else {
            throw CaptureError.notACapture(path: path, detail: "pcap file header cut short (\(header.count) of 24 bytes)")
        }
        snapLength = Int(snap)
        linkType = LinkType(link & 0x03ff_ffff)
        formatName = nanosecond ? "pcap (nanosecond)" : "pcap"
    }

    func next() -> CaptureRecord {
        // The record header is read in place: no allocation per packet for it.
        var got = 0, sec: UInt32 = 0, frac: UInt32 = 0, caplen = 0, origlen = 0
        source.withNext(16) { h in
            got = h.count
            guard h.count == 16 else { return }
            sec = h.u32(0, bigEndian: bigEndian) ?? 0
            frac = h.u32(4, bigEndian: bigEndian) ?? 0
            caplen = Int(h.u32(8, bigEndian: bigEndian) ?? 0)
            origlen = Int(h.u32(12, bigEndian: bigEndian) ?? 0)
        }
        if got == 0 { return .end }
        guard got == 16 else {
            return .damaged(CaptureCode.fileTruncated, "the file ends inside a packet record header (\(got) of 16 bytes)")
        }
        let limit = Self.maxRecord
        if caplen > limit {
            return .damaged(CaptureCode.fileGarbage, "a packet record claims \(caplen) captured bytes, more than the \(limit) any packet can have: the rest of the file is not a capture")
        }
        if frac >= (nanosecond ? 1_000_000_000 : 1_000_000) && caplen > origlen && origlen != 0 {
            return .damaged(CaptureCode.fileGarbage, "a packet record has an impossible timestamp and length: the rest of the file is not a capture")
        }
        if source.cannotHold(caplen) {
            // Checked before reading: the buffer never grows for bytes the file does not have.
            let held = source.skip(caplen)
            return .damaged(CaptureCode.fileTruncated, "the file ends inside a packet (\(held) of \(caplen) bytes captured)")
        }
        source.read(caplen, into: &scratch)
        let data = scratch
        if data.count < caplen {
            return .damaged(CaptureCode.fileTruncated, "the file ends inside a packet (\(data.count) of \(caplen) bytes captured)")
        }
        let ts = Timestamp(seconds: Int64(sec), nanoseconds: nanosecond ? Int64(frac) : Int64(frac) * 1000)
        return .frame(CapturedFrame(number: 0, timestamp: ts, linkType: linkType, bytes: data,
                                    originalLength: max(origlen, caplen)))
    }
}
