import CZlib

/// Inflates zlib, gzip or raw deflate data with a hard bound on the output: a compression bomb
/// (a few bytes that claim gigabytes) stops at `maxOutput`, having held no more than that.
public enum ZlibInflater {
    public enum Failure: Error, Equatable {
        /// The data inflates to more than the bound: what was read is discarded.
        case tooLarge(limit: Int)
        /// Not zlib, gzip nor raw deflate, or cut short.
        case invalid(String)
    }

    public static func inflate(_ input: ArraySlice<UInt8>, maxOutput: Int) -> Result<[UInt8], Failure> {
        // zlib or gzip (auto-detected by 15 + 32), then raw deflate (-15) as a second guess.
        let first = run(input, windowBits: 15 + 32, maxOutput: maxOutput)
        guard case .failure(.invalid) = first else { return first }
        let raw = run(input, windowBits: -15, maxOutput: maxOutput)
        if case .failure(.invalid) = raw { return first }
        return raw
    }

    private static func run(_ input: ArraySlice<UInt8>, windowBits: Int32, maxOutput: Int) -> Result<[UInt8], Failure> {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failure(.invalid("zlib could not start"))
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        let chunk = 16 << 10
        var window = [UInt8](repeating: 0, count: chunk)
        var input = Array(input)
        if input.isEmpty { return .failure(.invalid("no data")) }
        return input.withUnsafeMutableBufferPointer { inBuf -> Result<[UInt8], Failure> in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let status: Int32 = window.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(chunk)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                if output.count + produced > maxOutput { return .failure(.tooLarge(limit: maxOutput)) }
                output.append(contentsOf: window[0..<produced])
                switch status {
                case Z_STREAM_END: return .success(output)
                case Z_OK: continue
                case Z_BUF_ERROR:
                    // No progress possible: the input ended before the stream did.
                    return .failure(.invalid("the compressed data is cut short"))
                default:
                    return .failure(.invalid(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"))
                }
            }
        }
    }
}
