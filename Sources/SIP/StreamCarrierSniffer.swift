
/// Recognises, from the first bytes of a TCP direction, a stream that carries SIP inside another
/// protocol: an HTTP Upgrade to WebSocket (RFC 7118, on any port: the request or its 101 answer)
/// or HEP3 packets back to back. `offset` is where the carried bytes begin.
public enum StreamCarrierSniffer {
    public enum Carrier: Equatable { case webSocket, hep }

    public static func sniff(_ b: ArraySlice<UInt8>) -> (carrier: Carrier, offset: Int)? {
        if b.count >= 4, Array(b.prefix(4)) == Array("HEP3".utf8) { return (.hep, b.startIndex) }
        let isRequest = b.starts(with: "GET ".utf8)
        let isAnswer = b.starts(with: "HTTP/1.1 101".utf8) || b.starts(with: "HTTP/1.0 101".utf8)
        guard isRequest || isAnswer else { return nil }
        // The header block must be whole in this first segment (a handshake is a few hundred bytes).
        guard let end = headerEnd(b.prefix(8192)) else { return nil }
        let text = String(decoding: b[b.startIndex..<end], as: UTF8.self).lowercased()
        // "\r\n" is one Character in Swift: split on any newline.
        let upgrade = text.split(whereSeparator: \.isNewline).contains { line in
            line.hasPrefix("upgrade:") && line.contains("websocket")
        }
        return upgrade ? (.webSocket, end) : nil
    }

    private static func headerEnd(_ b: ArraySlice<UInt8>) -> Int? {
        var i = b.startIndex
        while i + 3 < b.endIndex {
            if b[i] == 0x0d && b[i + 1] == 0x0a && b[i + 2] == 0x0d && b[i + 3] == 0x0a { return i + 4 }
            i += 1
        }
        return nil
    }
}
