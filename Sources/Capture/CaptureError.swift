/// Reasons a capture cannot be read at all (exit status 2). Problems part-way through a file
/// are not errors: they become diagnostics and the frames before them are still analysed.
public enum CaptureError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case notACapture(path: String, detail: String)
    case unsupportedFormat(path: String, detail: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "\(path): cannot open: \(reason)"
        case let .notACapture(path, detail): return "\(path): not a pcap or pcapng capture (\(detail))"
        case let .unsupportedFormat(path, detail): return "\(path): \(detail)"
        }
    }
}
