/// How one line of a body ended.
enum LineTerminator: Hashable, Sendable {
    case crlf
    /// A bare LF, as mod_snom sends.
    case lf
    /// A CR as the body's very last byte, as in the spec's own sipsak example.
    case finalCR
    /// The body ended without a line ending (often a body cut by Content-Length).
    case none
}

/// One line of a body, without its line ending.
struct BodyLine {
    /// 1-based.
    let number: Int
    let bytes: ArraySlice<UInt8>
    let terminator: LineTerminator
}

/// Cuts a body into lines the way a phone reads it: a line ends at LF, with or without the CR
/// before it. A CR anywhere else stays inside the line (the spec: only CRLF ends a line).
enum BodyLines {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A

    static func split(_ body: [UInt8]) -> [BodyLine] {
        var lines: [BodyLine] = []
        var start = body.startIndex
        var index = body.startIndex
        while index < body.endIndex {
            if body[index] == lf {
                let hasCR = index > start && body[index - 1] == cr
                let end = hasCR ? index - 1 : index
                lines.append(BodyLine(number: lines.count + 1, bytes: body[start..<end],
                                      terminator: hasCR ? .crlf : .lf))
                start = index + 1
            }
            index += 1
        }
        if start < body.endIndex {
            let endsInCR = body[body.endIndex - 1] == cr
            let end = endsInCR ? body.endIndex - 1 : body.endIndex
            lines.append(BodyLine(number: lines.count + 1, bytes: body[start..<end],
                                  terminator: endsInCR ? .finalCR : .none))
        }
        return lines
    }
}
