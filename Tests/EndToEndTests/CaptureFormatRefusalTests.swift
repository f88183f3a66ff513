import Foundation
import Testing
import TestSupport

/// A file ButtonScope cannot read is refused in one line on stderr, exit status 2, naming the
/// file and what it is, with what to do (the editcap conversion, gunzip…); nothing on stdout.
@Suite struct CaptureFormatRefusalTests {
    static func refusal(_ path: String, command: String = "summary") throws -> String {
        let r = try CommandRunner.buttonscope([command, path])
        #expect(r.status == 2, "\(path): exit \(r.status)")
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(path))
        return r.stderr
    }

    /// Written by captures/accounting/make-formats.sh with Wireshark's editcap.
    static let formats: [(String, String)] = [("netmon2.cap", "Microsoft Network Monitor 2.x"), ("snoop.snoop", "Sun/Solaris snoop")]

    /// Written by captures/accounting/make-formats.sh with Wireshark's editcap.
    @Test(arguments: formats)
    func otherCaptureFormatsNameTheConversion(_ name: String, _ format: String) throws {
        let path = Paths.capture("accounting/" + name)
        let line = try Self.refusal(path)
        #expect(line.contains(format))
        let stem = path.replacingOccurrences(of: name, with: String(name.prefix { $0 != "." }))
        #expect(line.contains("editcap -F pcapng \(path) \(stem).pcapng"), "\(line)")
        _ = try Self.refusal(path, command: "messages")
    }

    @Test func gzipSaysDecompressFirst() throws {
        let path = Paths.capture("accounting/sipsak-led-udp.pcap.gz")
        let line = try Self.refusal(path)
        #expect(line.contains("gzip-compressed"))
        #expect(line.contains("gunzip -c \(path) | buttonscope"))
    }

    @Test func textAndHTMLSayWhatTheyAre() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-formats-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("trace.txt")
        try Data("MESSAGE sip:44@192.0.2.44 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1\r\n".utf8).write(to: text)
        let textLine = try Self.refusal(text.path)
        #expect(textLine.contains("not a pcap or pcapng capture (text, not a capture: it starts with \"MESSAGE sip:44@192.0.2.44 SIP/2.0\""), "\(textLine)")
        let html = dir.appendingPathComponent("download.pcap")
        try Data("\n<!DOCTYPE html>\n<html><body>Session expired</body></html>\n".utf8).write(to: html)
        #expect(try Self.refusal(html.path).contains("an HTML page"))
        let zip = dir.appendingPathComponent("capture.zip")
        try Data([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]).write(to: zip)
        #expect(try Self.refusal(zip.path).contains("a zip archive"))
    }

    /// The bundled text file keeps its old words (scripts may match them) and gains the kind.
    @Test func bundledNotACapture() throws {
        let path = Paths.capture("not-a-capture.pcap")
        let line = try Self.refusal(path, command: "messages")
        #expect(line.contains("not a pcap or pcapng capture (text"))
    }
}
