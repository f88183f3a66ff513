import Base
import TLSKeys

/// Writes frames to a new capture file as they were read: same bytes, same lengths, same
/// timestamps. Classic pcap when every frame has one link type; pcapng when they differ
/// (several interfaces), each interface described the first time a frame uses it.
public final class CaptureWriter {
    public enum Format: Sendable {
        /// `nanosecond`: the nanosecond magic; else microseconds, as most files are written.
        case pcap(LinkType, nanosecond: Bool)
        case pcapng
    }

    private typealias Bytes = CaptureFileEncoding
    private let file: BufferedFileOutput
    private let format: Format
    /// pcapng: (source interface, link type) → interface index in the new file.
    private var interfaces: [InterfaceKey: UInt32] = [:]
    public private(set) var framesWritten = 0

    struct InterfaceKey: Hashable { var id: Int; var linkType: UInt32 }

    /// `tlsKeyLog` (pcapng only): NSS key log lines written as a Decryption Secrets Block before
    /// any packet, so the file carries the keys that unlock its TLS connections.
    public init(path: String, format: Format, tlsKeyLog: String? = nil) throws {
        file = try BufferedFileOutput(path: path)
        self.format = format
        switch format {
        case .pcap(let link, let nanosecond):
            try file.append(Bytes.pcapHeader(linkType: link.rawValue, nanosecond: nanosecond))
        case .pcapng:
            try file.append(Bytes.sectionHeader())
            if let tlsKeyLog, !tlsKeyLog.isEmpty { try file.append(DecryptionSecretsBlock.encode(keyLog: tlsKeyLog)) }
        }
    }

    public func write(_ frame: CapturedFrame) throws {
        let original = UInt32(clamping: frame.originalLength)
        switch format {
        case .pcap(_, let nanosecond):
            let fraction = nanosecond ? frame.timestamp.nanoseconds : frame.timestamp.nanoseconds / 1000
            try file.append(Bytes.pcapRecord(seconds: UInt32(truncatingIfNeeded: frame.timestamp.seconds),
                                             fraction: UInt32(truncatingIfNeeded: fraction), bytes: frame.bytes, originalLength: original))
        case .pcapng:
            let key = InterfaceKey(id: frame.interfaceID, linkType: frame.linkType.rawValue)
            let index: UInt32
            if let known = interfaces[key] {
                index = known
            } else {
                index = UInt32(interfaces.count)
                interfaces[key] = index
                // if_tsresol = 9: timestamps in nanoseconds.
                try file.append(Bytes.interfaceDescription(linkType: UInt16(truncatingIfNeeded: frame.linkType.rawValue),
                                                           options: Bytes.option(9, [9]) + Bytes.endOfOptions))
            }
            let nanos = UInt64(max(0, frame.timestamp.seconds)) &* 1_000_000_000 &+ UInt64(max(0, frame.timestamp.nanoseconds))
            try file.append(Bytes.enhancedPacket(interface: index, timestamp: nanos, bytes: frame.bytes, originalLength: original))
        }
        framesWritten += 1
    }

    /// Writes what is buffered; call once at the end (and it is called as the buffer fills).
    public func flush() throws { try file.flush() }
}
