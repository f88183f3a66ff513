/// Bytes out of a `SIPMessage`: start line, headers in order, CRLF line endings, body as given.
///
/// Content-Length is computed from the body bytes (replacing any written one, in place, with its
/// spelling kept) unless the caller asks to keep the written value, so a replay can reproduce a
/// sender's wrong length on purpose.
public enum SIPSerializer {
    public enum ContentLength: Hashable, Sendable {
        /// Write the body's byte count (added at the end when the message has none).
        case computed
        /// Write the headers exactly as they are, Content-Length included or absent.
        case asWritten
    }

    public static func serialize(_ message: SIPMessage, contentLength: ContentLength = .computed) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.body.count + 512)
        switch message.startLine {
        case .request(let method, let uri):
            append("\(method) \(uri) SIP/2.0", to: &out)
        case .response(let code, let reason):
            append("SIP/2.0 \(code) \(reason)", to: &out)
        }
        var wroteLength = false
        for header in message.headers {
            if header.key == "content-length" && contentLength == .computed {
                if wroteLength { continue }
                wroteLength = true
                append("\(header.name): \(message.body.count)", to: &out)
            } else if header.rawValue != nil {
                // Bytes that are not UTF-8 go out as they came (a replay keeps them).
                append(Array("\(header.name): ".utf8) + header.wireValue, to: &out)
            } else {
                append("\(header.name): \(header.value)", to: &out)
            }
        }
        if contentLength == .computed && !wroteLength {
            append("Content-Length: \(message.body.count)", to: &out)
        }
        out += [0x0d, 0x0a]
        out += message.body
        return out
    }

    /// One line, any CR or LF inside it replaced by a space: a header value must not end the
    /// header early and smuggle in another.
    private static func append(_ line: String, to out: inout [UInt8]) {
        append(line.utf8, to: &out)
    }

    private static func append<Bytes: Sequence<UInt8>>(_ line: Bytes, to out: inout [UInt8]) {
        for b in line { out.append(b == 0x0d || b == 0x0a ? 0x20 : b) }
        out += [0x0d, 0x0a]
    }
}
