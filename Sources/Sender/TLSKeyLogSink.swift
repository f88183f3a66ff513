#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TLSKeys
import Foundation
import NIOCore
import NIOSSL

/// Where the sender and the emulated phone put their TLS session keys: NSS key log lines
/// appended to a file (the SSLKEYLOGFILE convention: append, never truncate, so Wireshark and
/// `buttonscope --tls-keylog` read every session in it), and kept in memory by client random so
/// `--record` can embed the keys of the connections it recorded.
///
/// Fed by swift-nio-ssl's key log callback, from any thread.
// @unchecked: `secrets`, `kept` and `writeFailure` are read and written under `lock` only;
// `fd` and `path` are constants.
public final class TLSKeyLogSink: @unchecked Sendable {
    /// The file the lines are appended to (nil: memory only, for `--record`).
    public let path: String?
    private let fd: Int32
    private let lock = NSLock()
    private var secrets = TLSSecrets()
    private var kept = 0
    private var writeFailure: String?
    /// A phone running for days must not grow without end: past this many lines, new ones go
    /// to the file only.
    public static let maxKeptLines = 20_000

    /// Opens `path` for appending (created 0600: the lines are secrets). Throws
    /// `SenderError.tlsSetup` naming the file when it cannot be opened.
    public init(appendingTo path: String?) throws {
        self.path = path
        if let path {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw SenderError.tlsSetup("cannot write the TLS key log \(path): \(String(cString: strerror(errno)))")
            }
            self.fd = fd
        } else {
            self.fd = -1
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// What swift-nio-ssl calls with each line (newline included).
    public var callback: NIOSSLKeyLogCallback {
        { [self] buffer in self.add(Array(buffer.readableBytesView)) }
    }

    /// Adds one key log line (with or without its newline).
    public func add(_ line: [UInt8]) {
        var bytes = line
        if bytes.last != 0x0a { bytes.append(0x0a) }
        lock.withLock {
            if fd >= 0 && writeFailure == nil {
                var off = 0
                while off < bytes.count {
                    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, $0.count - off) }
                    if n < 0 {
                        if errno == EINTR { continue }
                        writeFailure = String(cString: strerror(errno))
                        break
                    }
                    off += n
                }
            }
            if kept < Self.maxKeptLines {
                kept += 1
                secrets.addKeyLog(String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    /// The lines for these client randoms, as a key log (for a Decryption Secrets Block).
    public func keyLog(clientRandoms: [[UInt8]]) -> String {
        lock.withLock { secrets.keyLog(clientRandoms: clientRandoms) }
    }

    /// Every secret logged (up to `maxKeptLines`).
    public var allSecrets: TLSSecrets { lock.withLock { secrets } }

    /// Why writing the file stopped, if it did (disk full…).
    public var failure: String? { lock.withLock { writeFailure } }
}
