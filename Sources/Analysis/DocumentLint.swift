import SIPCapture
import Buttons
import Base
import SIP

/// Every fault of one carried document: how it travelled (SIP framing, capture), how it was
/// labelled (Content-Type), and what it says (the x-buttons grammar).
public enum DocumentLint {
    /// Longest body shown in a message, in characters: enough for the `k=2\r\nc=` cases.
    static let bodyPreviewLimit = 160

    /// Faults of the capture, not of the sender: the phone got the bytes the capture missed
    /// (TCP delivers them), so they are warnings about the evidence, never errors of the document.
    static let captureFaults: Set<String> = [SIPCode.tcpGap.rawValue, SIPCode.captureTruncated.rawValue]

    public static func findings(for carried: CarriedDocument) -> [LintFinding] {
        let m = carried.request
        let user = carried.phone?.user
        // A fault of the whole message concerns every key it describes; name the key when there is one.
        let keys = carried.document.keys
        let soleKey = keys.first.flatMap { k in keys.allSatisfy { $0 == k } ? k : nil }
        var out: [LintFinding] = []

        var cutExplained = false
        for d in m.diagnostics {
            var finding = LintFinding(frame: d.frame ?? m.frame, severity: d.severity, code: d.code,
                                      message: d.message, user: user, key: soleKey)
            if captureFaults.contains(d.code), d.severity > .warning {
                finding.severity = .warning
                finding.message += ". The capture missed these bytes, not the phone: the document shown here is incomplete"
            }
            if carried.wasCut, !cutExplained, d.code == SIPCode.contentLengthMismatch.rawValue {
                finding.message += ". " + cutExplanation(carried)
                finding.readBody = m.effectiveBody
                finding.wireBody = m.message.body
                cutExplained = true
            }
            out.append(finding)
        }
        if carried.wasCut, !cutExplained {
            out.append(LintFinding(frame: m.frame, severity: .warning, code: AnalysisCode.bodyCut.rawValue,
                                   message: "frame \(m.frame): " + cutExplanation(carried),
                                   user: user, key: soleKey, readBody: m.effectiveBody, wireBody: m.message.body))
        }
        if let d = PhoneParty.missingProxyRequire(m) {
            out.append(LintFinding(frame: m.frame, severity: d.severity, code: d.code, message: d.message, user: user, key: soleKey))
        }
        if let d = carried.contentTypeDiagnostic {
            out.append(LintFinding(frame: m.frame, severity: d.severity, code: d.code, message: d.message,
                                   user: user, key: soleKey))
        }
        // The line the snap length cut is the capture's doing: its faults are not the document's.
        let cutLine = m.isTruncatedByCapture ? carried.document.lineCount : nil
        for f in carried.document.findings {
            if let cutLine, f.line == cutLine || f.code == ButtonsCode.loneFinalCR.rawValue { continue }
            if f.code == GrammarEdges.missingLineEndCode, Self.bodyEndsEarly(m) { continue }
            out.append(LintFinding(frame: m.frame, severity: f.severity, code: f.code, message: f.message,
                                   user: user, key: f.key ?? soleKey, line: f.line))
        }
        return out
    }

    /// A body cut by Content-Length, the snap length or a TCP hole ends mid-line: that is said
    /// already (content-length-mismatch, capture-truncated, tcp-gap), so `missing-line-end` is not.
    public static func bodyEndsEarly(_ m: CapturedMessage) -> Bool {
        m.effectiveBody.count != m.message.body.count || m.isTruncatedByCapture
            || m.diagnostics.contains { captureFaults.contains($0.code) }
    }

    /// Both bodies side by side, escaped so CR and LF show.
    static func cutExplanation(_ carried: CarriedDocument) -> String {
        let read = carried.request.effectiveBody
        let wire = carried.request.message.body
        return "The phone reads \(preview(read)) (\(read.count) bytes); the wire carried \(preview(wire)) (\(wire.count) bytes)"
    }

    /// `"k=2\r\nc="`: quoted, CR/LF/TAB and other controls escaped, long bodies cut with `…`.
    public static func preview(_ bytes: [UInt8]) -> String {
        var out = "\""
        var count = 0
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if count >= bodyPreviewLimit { out += "…"; break }
            switch scalar {
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f || (0x80..<0xa0).contains(scalar.value) {
                    out += "\\x" + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return out + "\""
    }
}
