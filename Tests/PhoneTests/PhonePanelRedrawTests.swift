import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif
import Phone
import Testing
import TestSupport

/// Issue 16, item 6: "the live terminal panel redraws everything on every change (two datagrams
/// of 6,800 keys wrote 148 MB to the terminal in 40 s) … coalesce redraws." The decision is
/// `RedrawThrottle` (pure, tested here with a clock the test drives); the panel itself is tested
/// as a user sees it: `buttonscope phone` on a pseudo-terminal (util-linux `script`), a burst of
/// 500 MESSAGEs, the screen clears counted. Addresses 127.0.21.0/24.
@Suite(.serialized) struct PhonePanelRedrawTests {
    /// A burst of 500 changes in one second at random times, a draw whenever the throttle says:
    /// at most one per tenth of a second (plus the first), and the last change always drawn.
    @Test func aBurstDrawsAtMostTenTimesASecondAndTheLastChangeIsDrawn() throws {
        var throttle = RedrawThrottle(interval: 0.1)
        var generator = SystemRandomNumberGenerator()
        let changes = (0..<500).map { _ in Double.random(in: 0..<1, using: &generator) }.sorted()
        var draws: [Double] = []
        var scheduled: Double?
        var lastChange = 0.0
        for now in changes {
            if let at = scheduled, at <= now {
                throttle.drew(at: at)
                draws.append(at)
                scheduled = nil
            }
            lastChange = now
            switch throttle.request(at: now) {
            case .drawNow: draws.append(now)
            case .drawAt(let at):
                #expect(scheduled == nil, "one scheduled draw at a time")
                #expect(at > now && at <= now + 0.1)
                scheduled = at
            case .alreadyScheduled: #expect(scheduled != nil)
            }
        }
        if let at = scheduled { throttle.drew(at: at); draws.append(at) }
        #expect(draws.count <= 11, "\(draws.count) draws for 500 changes in 1 s")
        #expect(draws.count >= 9, "a burst still redraws about ten times a second, \(draws.count)")
        for (a, b) in zip(draws, draws.dropFirst()) { #expect(b - a >= 0.1 - 1e-9, "draws \(a) and \(b) closer than 0.1 s") }
        #expect(try #require(draws.last) >= lastChange, "the last change is drawn")
    }

    @Test func aChangeAfterAQuietSpellIsDrawnAtOnce() {
        var throttle = RedrawThrottle(interval: 0.1)
        #expect(throttle.request(at: 10) == .drawNow)
        #expect(throttle.request(at: 10.5) == .drawNow)
        #expect(throttle.request(at: 10.55) == .drawAt(10.6))
        #expect(throttle.request(at: 10.58) == .alreadyScheduled)
        #expect(throttle.isScheduled)
        throttle.drew(at: 10.6)
        #expect(!throttle.isScheduled)
        #expect(throttle.request(at: 10.65) == .drawAt(10.7))
        // A draw asked for outright (`state`) counts as one.
        throttle.drew(at: 10.66)
        #expect(throttle.request(at: 10.9) == .drawNow)
    }

    @Test func thePanelOnATerminalIsRedrawnAtMostTenTimesASecondUnderABurst() throws {
        let script = try #require(["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                  "script is required (util-linux)")
        let host = "127.0.21.7", client = "127.0.21.8"
        let port = try SIPpPeer.freePort(host, udp: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        // A pseudo-terminal: the phone draws its live panel only on a terminal.
        process.arguments = ["-qfec", "exec '\(Paths.binary)' phone --user 44 --keys 4 --listen udp:\(host):\(port)", "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let collected = NIOLockedValueBox(Data())
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            collected.withLockedValue { $0.append(data) }
        }
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }

        let start = Date()
        var up = false
        for i in 0..<100 where !up {
            up = (try? RawSIP.udp(RawSIP.message("pty-up-\(i)"), to: host, port: port, from: client, timeout: 0.1))?.message.statusCode == 200
        }
        #expect(up, "the phone never answered")
        guard up else { return }
        let burstStart = Date()
        for i in 0..<500 {
            let r = try RawSIP.udp(RawSIP.message("burst-\(i)", key: "2"), to: host, port: port, from: client, timeout: 2)
            #expect(r.message.statusCode == 200)
        }
        let burst = Date().timeIntervalSince(burstStart)
        Thread.sleep(forTimeInterval: 0.4)   // the trailing draw
        input.fileHandleForWriting.write(Data("quit\n".utf8))
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let elapsed = Date().timeIntervalSince(start)
        Thread.sleep(forTimeInterval: 0.1)
        output.fileHandleForReading.readabilityHandler = nil
        let text = String(decoding: collected.withLockedValue { $0 }, as: UTF8.self)

        let screens = text.components(separatedBy: "\u{1b}[H\u{1b}[2J")
        let draws = screens.count - 1
        #expect(burst < 5, "the burst of 500 took \(burst) s")
        // Without coalescing each MESSAGE draws twice (its answer and its key change): 1,000 draws.
        // Before the first probe the phone drew at most twice (start and its first line).
        #expect(draws <= Int(10 * elapsed) + 4, "\(draws) screens in \(elapsed) s")
        #expect(draws >= 2, "the live panel was drawn: \(text.prefix(300))")
        let last = try #require(screens.last)
        // The panel row of key 2 (`  2    ● light=on label=…`), not only the log lines under it.
        // The terminal ends lines with CR LF (one Character in Swift).
        let row = last.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("2 ") && $0.contains("●") }
        #expect(row?.contains("label=Sentinel burst-499") == true, "the final panel shows the last state: \(last)")
    }
}
