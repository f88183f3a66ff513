import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SIPp on one of our loopback addresses, running a scenario; its message trace is read after.
public final class SIPpPeer {
    public let process = Process()
    public let port: Int
    public let address: String
    public let directory: String

    public init(scenario: String, sipp: String, address: String, calls: Int, transport: String = "udp", extra: [String] = [],
         files: [String: String] = [:]) throws {
        self.address = address
        directory = Paths.temporary("sipp")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        port = try SIPpPeer.freePort(address, udp: transport == "udp")
        process.executableURL = URL(fileURLWithPath: sipp)
        process.arguments = ["-sf", scenario, "-i", address, "-p", String(port), "-m", String(calls), "-nostdin",
                             "-trace_msg", "-message_file", directory + "/messages.log", "-timeout", "20s",
                             "-trace_err", "-error_file", directory + "/errors.log"]
            + (transport == "tcp" ? ["-t", "t1"] : []) + extra
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<50 {
            if !SIPpPeer.canBind(address, port, udp: transport == "udp") { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw TestFailure("sipp did not start listening on \(address):\(port)")
    }

    /// Waits for SIPp to finish its calls (10 s at most); throws if it counted a failure.
    public func waitForExit(seconds: Double = 10) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning else { throw TestFailure("sipp still running after \(seconds) s: \((try? trace()) ?? "")") }
        guard process.terminationStatus == 0 else {
            let errors = (try? String(contentsOfFile: directory + "/errors.log", encoding: .utf8)) ?? ""
            throw TestFailure("sipp exited \(process.terminationStatus): \(errors)\n\((try? trace()) ?? "")")
        }
    }

    /// `waitForExit` for async tests: polls without blocking a thread of the cooperative pool.
    public func exited(seconds: Double = 10) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        try waitForExit(seconds: 0)
    }

    public func trace() throws -> String {
        String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: directory + "/messages.log"))) ?? Data(), as: UTF8.self)
    }

    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    public static func freePort(_ address: String, udp: Bool) throws -> Int {
        for _ in 0..<20 {
            let p = Int.random(in: 20_000...60_000)
            if canBind(address, p, udp: udp) && canBind(address, p, udp: !udp) { return p }
        }
        throw TestFailure("no free port on \(address)")
    }

    public static func canBind(_ address: String, _ port: Int, udp: Bool) -> Bool {
        let fd = socket(AF_INET, udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr(address)
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }
}
