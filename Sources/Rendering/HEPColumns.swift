import SIPCapture
import SIP

/// What `messages` shows of a HEP envelope: the capture agent (node ID, name) and the correlation
/// ID, so a HOMER user can find the message again. Messages that did not come by HEP show nothing more.
extension MessagesTable {
    public static func hepText(_ m: CapturedMessage) -> String {
        guard let e = m.hep else { return "" }
        var parts = ["HEP\(e.version)"]
        if let node = e.nodeID { parts.append("node \(node)") }
        if let name = e.nodeName { parts.append("name \(TerminalText.safe(name))") }
        if let c = e.correlationID { parts.append("correlation \(TerminalText.safe(c))") }
        return "  " + parts.joined(separator: " ")
    }

    public static func hepJSON(_ m: CapturedMessage, _ fields: [(String, JSONValue)]) -> [(String, JSONValue)] {
        guard let e = m.hep else { return fields }
        return fields + [
            ("hep_version", .int(e.version)),
            ("hep_node", e.nodeID.map { .int(Int($0)) } ?? .null),
            ("hep_node_name", .optional(e.nodeName)),
            ("hep_correlation_id", .optional(e.correlationID)),
            ("hep_compressed", .bool(e.wasCompressed)),
        ]
    }
}
