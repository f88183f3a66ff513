#if canImport(Glibc)
import Glibc
#endif
import TLSKeys
import Base

/// Reads pcap and pcapng from a path or stdin (`-`), one frame at a time.
///
/// We parse the file formats ourselves rather than through `pcap_open_offline`: libpcap refuses
/// pcapng files whose interfaces have different link types, and stops at the first damaged
/// record without saying which frame. Damage part-way through is reported in `problems` after
/// every good frame before it has been handed out.
public final class CaptureReader {
    public let path: String
    public private(set) var format: String
    /// Damage found while reading (`file-truncated`, `file-garbage`): reading stops there.
    /// Also notes on Decryption Secrets Blocks that could not be used (reading goes on).
    public internal(set) var problems: [Diagnostic] = []
    /// Bytes consumed so far, for progress reporting.
    public var bytesRead: Int { source.offset }

    private let source: ByteSource
    private var decoder: CaptureFormatDecoder
    private var frameNumber = 0
    /// Secrets from Decryption Secrets Blocks not yet taken (`takeSecrets`).
    var pendingSecrets = TLSSecrets()
    /// TLS key log blocks met so far.
    public internal(set) var secretsBlocksRead = 0

    /// Opens `path` (`-` for stdin) and reads the file header.
    public convenience init(path: String) throws {
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            fd = open(path, O_RDONLY)
            if fd < 0 {
                throw CaptureError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
            var st = stat()
            if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw CaptureError.cannotOpen(path: path, reason: "is a directory")
            }
        }
        try self.init(source: ByteSource(fd: fd, ownsDescriptor: path != "-"), path: path)
    }

    /// Reads a capture already in memory (tests, fuzzing), as `init(path:)` reads a file.
    public convenience init(bytes: [UInt8], name: String = "memory") throws {
        try self.init(source: ByteSource(bytes: bytes), path: name)
    }

    private init(source: ByteSource, path: String) throws {
        self.path = path
        self.source = source
        let magic = Array(source.peek(4))
        let name = path == "-" ? "stdin" : path
        if magic.isEmpty {
            throw CaptureError.notACapture(path: name, detail: "the file is empty")
        }
        if magic.count < 4 {
            throw CaptureError.notACapture(path: name, detail: "only \(magic.count) bytes")
        }
        if let pcap = try PcapDecoder(source: source, path: name) {
            decoder = .pcap(pcap)
            format = pcap.formatName
        } else if let ng = try PcapngDecoder(source: source, path: name) {
            decoder = .pcapng(ng)
            format = "pcapng"
        } else {
            throw CaptureFormatSniffer.refusal(Array(source.peek(CaptureFormatSniffer.headLength)), path: name)
        }
    }

    /// The next frame, or nil at the end of the file or at damage (see `problems`).
    public func next() -> CapturedFrame? {
        let nextNumber = frameNumber + 1
        let result: CaptureRecord
        switch decoder {
        case .pcap(let d): result = d.next()
        case .pcapng(let d): result = d.next()
        }
        if case .pcapng(let d) = decoder, !d.secretsBlocks.isEmpty { takeSecretsBlocks(d, beforeFrame: nextNumber) }
        switch result {
        case .frame(var frame):
            frameNumber = nextNumber
            frame.number = nextNumber
            return frame
        case .end:
            return nil
        case .damaged(let code, let message):
            problems.append(Diagnostic(code, .error, "frame \(nextNumber): \(message); the \(frameNumber) frames before it were read", frame: nextNumber))
            return nil
        }
    }
}

enum CaptureFormatDecoder {
    case pcap(PcapDecoder)
    case pcapng(PcapngDecoder)
}

enum CaptureRecord {
    case frame(CapturedFrame)
    case end
    /// `file-truncated` or `file-garbage`, with what happened.
    case damaged(CaptureCode, String)
}

