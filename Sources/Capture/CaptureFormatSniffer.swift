/// Names what a file is when it is not pcap or pcapng, by its first bytes, so the refusal says
/// what to do: another capture tool's format (with the `editcap` line that converts it), a
/// compressed capture (decompress first), or no capture at all (text, HTML, an archive…).
public enum CaptureFormatSniffer {
    /// Bytes looked at: enough for every magic below and to tell text from binary.
    public static let headLength = 512

    /// Capture formats libpcap does not open, by the magic at their start.
    static let captureFormats: [(magic: [UInt8], name: String)] = [
        (Array("GMBU".utf8), "a Microsoft Network Monitor 2.x capture"),
        (Array("RTSS".utf8), "a Microsoft Network Monitor 1.x capture"),
        (Array("snoop\0\0\0".utf8), "a Sun/Solaris snoop capture"),
        (Array("btsnoop\0".utf8), "a btsnoop (Bluetooth HCI) capture"),
        (Array("XCP\0".utf8), "a NetXRay / Sniffer for Windows capture"),
        (Array("TRSNIFF data".utf8), "a Network General Sniffer (DOS) capture"),
        (Array("ObserverPktBuffer".utf8), "a Network Instruments / Viavi Observer capture"),
        ([0x54, 0x52, 0x00, 0x64, 0x00], "an HP-UX nettl trace"),
        ([0x00, 0x00, 0x02, 0x00, 0x12, 0x05, 0x00, 0x10], "a Tektronix K12 .rf5 capture"),
    ]

    static let compressed: [(magic: [UInt8], name: String, command: String)] = [
        ([0x1f, 0x8b], "gzip-compressed", "gunzip -c"),
        ([0x28, 0xb5, 0x2f, 0xfd], "zstd-compressed", "zstd -dc"),
        ([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], "xz-compressed", "xz -dc"),
        (Array("BZh".utf8), "bzip2-compressed", "bzip2 -dc"),
        ([0x04, 0x22, 0x4d, 0x18], "lz4-compressed", "lz4 -dc"),
    ]

    /// Why `head` (the file's first bytes) is not a capture ButtonScope reads, as the error to
    /// throw. `path` is the name shown (`stdin` for `-`).
    public static func refusal(_ head: [UInt8], path: String) -> CaptureError {
        let quoted = shellQuoted(path)
        for f in captureFormats where head.starts(with: f.magic) {
            let out = shellQuoted(convertedName(path))
            return .unsupportedFormat(path: path, detail:
                "\(f.name), which ButtonScope does not read: convert it with Wireshark's editcap, `editcap -F pcapng \(quoted) \(out)`, and read that")
        }
        for c in compressed where head.starts(with: c.magic) {
            let how = path == "stdin" ? "decompress it into the pipe (\(c.command) FILE | buttonscope …)"
                : "decompress it first: `\(c.command) \(quoted) | buttonscope … -`"
            return .unsupportedFormat(path: path, detail: "a \(c.name) file, not a capture as it stands: \(how)")
        }
        if head.starts(with: Array("PK\u{3}\u{4}".utf8)) {
            return .unsupportedFormat(path: path, detail: "a zip archive, not a capture: unzip it (`unzip -l \(quoted)` lists what it holds) and give ButtonScope the .pcap or .pcapng inside")
        }
        if head.starts(with: Array("%PDF".utf8)) {
            return .notACapture(path: path, detail: "a PDF document")
        }
        if looksLikeERF(head) {
            let out = shellQuoted(convertedName(path))
            return .unsupportedFormat(path: path, detail:
                "looks like an Endace ERF capture, which ButtonScope does not read: convert it with Wireshark's editcap, `editcap -F pcapng \(quoted) \(out)`, and read that")
        }
        return .notACapture(path: path, detail: describeText(head) ?? binaryMagic(head))
    }

    /// ERF has no magic: a first record header whose type, flags and lengths are plausible.
    static func looksLikeERF(_ h: [UInt8]) -> Bool {
        guard h.count >= 16 else { return false }
        let type = h[8] & 0x7f, flags = h[9]
        let rlen = Int(h[10]) << 8 | Int(h[11])
        let wlen = Int(h[14]) << 8 | Int(h[15])
        return (1...27).contains(type) && flags & 0xc0 == 0 && rlen >= 16 && rlen <= 65_535 + 64 && wlen > 0 && wlen <= 65_535
            && h[0..<8].contains(where: { $0 != 0 }) && h[8] < 0x20
    }

    /// Text: what kind, and how it starts. Nil when the head is not text.
    static func describeText(_ head: [UInt8]) -> String? {
        let printable = head.prefix(headLength).allSatisfy { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d || $0 >= 0x80 }
        guard printable, !head.isEmpty else { return nil }
        let text = String(decoding: head, as: UTF8.self)
        let trimmed = text.drop { $0.isWhitespace || $0 == "\u{feff}" }
        let firstLine = trimmed.prefix { !$0.isNewline }
        let shown = "\"" + String(firstLine.prefix(60)).map { $0.isASCII && ($0.asciiValue ?? 0) >= 0x20 ? String($0) : "?" }.joined()
            + (firstLine.count > 60 ? "…" : "") + "\""
        let lower = trimmed.prefix(200).lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") {
            return "an HTML page, not a capture (a download that returned a web page?): it starts with \(shown)"
        }
        if lower.hasPrefix("<?xml") || lower.hasPrefix("<pdml") || lower.hasPrefix("<psml") {
            return "XML text, not a capture (a Wireshark PDML/PSML export?): it starts with \(shown); ButtonScope needs the capture file itself (tcpdump -w FILE, or File > Save As pcapng)"
        }
        if lower.hasPrefix("{") || lower.hasPrefix("[") {
            return "JSON text, not a capture (tshark -T json output?): it starts with \(shown); ButtonScope needs the capture file itself"
        }
        return "text, not a capture: it starts with \(shown); ButtonScope needs the capture file itself (tcpdump -w FILE), not a copy of its text"
    }

    static func binaryMagic(_ head: [UInt8]) -> String {
        "unknown binary data, magic " + head.prefix(4).map { b in
            let h = String(b, radix: 16)
            return h.count < 2 ? "0" + h : h
        }.joined(separator: " ")
    }

    /// The same path with a `.pcapng` ending (never the input's own name).
    static func convertedName(_ path: String) -> String {
        if path == "stdin" { return "out.pcapng" }
        let slash = path.lastIndex(of: "/")
        let base = slash.map { path[path.index(after: $0)...] } ?? path[...]
        let stem = base.lastIndex(of: ".").map { base[..<$0] } ?? base
        let dir = slash.map { String(path[...$0]) } ?? ""
        let out = dir + (stem.isEmpty ? "out" : String(stem)) + ".pcapng"
        return out == path ? dir + String(stem) + "-converted.pcapng" : out
    }

    static func shellQuoted(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "-_./:=@+,".unicodeScalars.contains(c)
        }
        return plain ? s : "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
