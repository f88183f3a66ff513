import Base
import Capture

/// Where reading stopped before the file's end (cut inside a packet, or bytes that are not a
/// capture): every answer then covers only the frames before it, and has to say so.
public struct FileCut: Sendable {
    public static let codes: Set<String> = [CaptureCode.fileTruncated.rawValue, CaptureCode.fileGarbage.rawValue]

    /// The reader's diagnostic: its frame is the first one not read.
    public let diagnostic: Diagnostic

    public init?(diagnostics: [Diagnostic]) {
        guard let d = diagnostics.first(where: { Self.codes.contains($0.code) }) else { return nil }
        diagnostic = d
    }
}
