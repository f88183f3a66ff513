/// Cuts the handshake byte stream of one direction into messages: a message may span records and
/// a record may hold several. Bounded: a message longer than `maxMessageBytes` is skipped whole.
struct TLSHandshakeReader {
    static let maxMessageBytes = 256 << 10
    private var buffer: [UInt8] = []
    /// Bytes still to skip of a message too long to keep.
    private var skipping = 0
    private(set) var skippedMessages = 0

    var bufferedBytes: Int { buffer.count }
    /// Memory held as allocated.
    var footprint: Int { buffer.capacity }

    /// Calls `message` with each complete message: its type, its body and its whole encoding.
    mutating func append(_ fragment: ArraySlice<UInt8>, message: (UInt8, ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
        var input = fragment
        if skipping > 0 {
            let n = min(skipping, input.count)
            skipping -= n
            input = input.dropFirst(n)
        }
        buffer += input
        var at = 0
        while buffer.count - at >= 4 {
            let length = Int(buffer[at + 1]) << 16 | Int(buffer[at + 2]) << 8 | Int(buffer[at + 3])
            if length > Self.maxMessageBytes {
                skippedMessages += 1
                let have = buffer.count - at - 4
                if have >= length { at += 4 + length; continue }
                skipping = length - have
                at = buffer.count
                break
            }
            guard buffer.count - at - 4 >= length else { break }
            message(buffer[at], buffer[(at + 4)..<(at + 4 + length)], buffer[at..<(at + 4 + length)])
            at += 4 + length
        }
        buffer.removeFirst(at)
    }

    mutating func reset() {
        buffer = []  // capacity too: reset frees memory
        skipping = 0
    }
}
