import Testing
@testable import Capture
import TestSupport

/// Each magic is recognised and named, with the conversion; text and binary junk are told apart.
@Suite struct CaptureFormatSnifferTests {
    static func detail(_ head: [UInt8], path: String = "in.cap") -> String {
        CaptureFormatSniffer.refusal(head, path: path).description
    }

    static let formats: [([UInt8], String)] = [
        (Array("GMBU".utf8) + [0, 2], "Microsoft Network Monitor 2.x"),
        (Array("RTSS".utf8) + [1, 1], "Microsoft Network Monitor 1.x"),
        (Array("snoop".utf8) + [0, 0, 0, 0, 0, 0, 2], "snoop"),
        (Array("btsnoop".utf8) + [0, 0, 0, 0, 1], "btsnoop"),
        (Array("XCP".utf8) + [0, 0x30, 0x30], "NetXRay"),
        (Array("ObserverPktBufferVersion=15.00".utf8), "Observer"),
        ([0x54, 0x52, 0x00, 0x64, 0x00, 0x00] as [UInt8], "nettl"),
    ]

    @Test(arguments: formats)
    func captureFormats(_ head: [UInt8], _ name: String) {
        let d = Self.detail(head, path: "dir/field.cap")
        #expect(d.hasPrefix("dir/field.cap: "))
        #expect(d.contains(name))
        #expect(d.contains("editcap -F pcapng dir/field.cap dir/field.pcapng"))
    }

    @Test func erfByItsRecordHeader() {
        // ts (8), type 2 (Ethernet), flags 4, rlen 88, lctr 0, wlen 68
        let head: [UInt8] = [0x10, 0, 0, 0, 0x65, 0x00, 0x00, 0x00, 0x02, 0x04, 0, 88, 0, 0, 0, 68] + Array(repeating: 0, count: 72)
        #expect(Self.detail(head).contains("Endace ERF"))
    }

    @Test func convertedNameNeverOverwritesTheInput() {
        #expect(CaptureFormatSniffer.convertedName("x/netmon.pcapng") == "x/netmon-converted.pcapng")
        #expect(CaptureFormatSniffer.convertedName("a b.cap") == "a b.pcapng")
        #expect(Self.detail(Array("GMBU".utf8), path: "a b.cap").contains("editcap -F pcapng 'a b.cap' 'a b.pcapng'"))
    }

    @Test func compressedAndArchives() {
        #expect(Self.detail([0x1f, 0x8b, 8, 0]).contains("gzip-compressed"))
        #expect(Self.detail([0x28, 0xb5, 0x2f, 0xfd]).contains("zstd"))
        #expect(Self.detail([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]).contains("xz"))
        #expect(Self.detail(Array("BZh9".utf8)).contains("bzip2"))
        #expect(Self.detail(Array("PK".utf8) + [3, 4]).contains("zip archive"))
        #expect(Self.detail([0x1f, 0x8b, 8, 0], path: "stdin").contains("decompress it into the pipe"))
    }

    @Test func textKinds() {
        #expect(Self.detail(Array("<?xml version=\"1.0\"?><pdml>".utf8)).contains("XML"))
        #expect(Self.detail(Array("[{\"_source\": {}}]".utf8)).contains("JSON"))
        #expect(Self.detail(Array("  <HTML><head>".utf8)).contains("HTML page"))
        let plain = Self.detail(Array("1  0.000000 192.0.2.1 → 192.0.2.44 SIP 600 Request: MESSAGE\n".utf8))
        #expect(plain.contains("not a pcap or pcapng capture (text, not a capture: it starts with \"1  0.000000 192.0.2.1 ? 192.0.2.44"))
        #expect(Self.detail([0x00, 0x01, 0x02, 0x03, 0xff]).contains("unknown binary data, magic 00 01 02 03"))
    }
}
