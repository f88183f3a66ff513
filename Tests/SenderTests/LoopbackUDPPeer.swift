@testable import SIPCapture
import Capture
import Foundation
import NIOCore
import NIOPosix
import SIP
@testable import Sender

/// Shared pieces of the sender's tests: paths, the CLI, captures, and small loopback peers.
enum SenderTestKit {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var binary: String { packageRoot + "/.build/debug/buttonscope" }
    static func capture(_ name: String) -> String { packageRoot + "/captures/" + name }
    static func fixture(_ name: String) -> String { packageRoot + "/Tests/SenderTests/Fixtures/" + name }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func tempPath(_ name: String) -> String {
        NSTemporaryDirectory() + "buttonscope-sender-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-" + name
    }

    struct Run { var status: Int32; var stdout: String; var stderr: String; var seconds: Double }

    /// Runs the built CLI (build it first: `swift build`).
    static func cli(_ arguments: [String]) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw SenderTestError("\(binary) is missing: run `swift build` before the tests")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let start = Date()
        try p.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }

    /// NDJSON lines as dictionaries.
    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// The x-buttons MESSAGEs of a capture, as the analysis reads them (not through the sender).
    static func capturedMessages(_ name: String) throws -> [CapturedMessage] {
        let reader = try CaptureReader(path: capture(name))
        let extractor = SIPMessageExtractor()
        var out: [CapturedMessage] = []
        let emit: (SIPMessageExtractor.Output) -> Void = { if case .message(let m) = $0 { out.append(m) } }
        while let frame = reader.next() { extractor.process(frame, emit: emit) }
        extractor.finish(emit: emit)
        return out.sorted { $0.frame < $1.frame }
    }

    /// A port nothing listens on (bound, read, released).
    static func freePort(udp: Bool) throws -> Int {
        let fd = socket(AF_INET, udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SenderTestError("socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0 else { throw SenderTestError("bind() failed") }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

struct SenderTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A UDP peer on loopback that reads everything, remembers it, and answers requests with
/// `status` (or never, with nil): the phone that does not answer, or a minimal one that does.
final class LoopbackUDPPeer: @unchecked Sendable {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let channel: Channel
    private let recorder: Recorder
    var port: Int { channel.localAddress?.port ?? 0 }

    init(answer status: Int?) throws {
        let recorder = Recorder(status: status)
        self.recorder = recorder
        channel = try DatagramBootstrap(group: group)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { $0.pipeline.addHandler(recorder) }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    var received: [[UInt8]] { recorder.lock.withLock { recorder.datagrams } }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    final class Recorder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let status: Int?
        let lock = NSLock()
        var datagrams: [[UInt8]] = []
        init(status: Int?) { self.status = status }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let bytes = Array(envelope.data.readableBytesView)
            lock.withLock { datagrams.append(bytes) }
            guard let status, let request = DatagramMessageReader.read(bytes), request.isRequest else { return }
            let copied = request.headers.filter { ["via", "from", "to", "call-id", "cseq"].contains($0.key) }
            let response = SIPMessage(startLine: .response(code: status, reason: status == 200 ? "OK" : "Not Found"), headers: copied)
            let out = SIPSerializer.serialize(response)
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress,
                                                                    data: context.channel.allocator.buffer(bytes: out))), promise: nil)
        }
    }
}
