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

    public static func writeHEPFields(_ m: CapturedMessage, to w: inout JSONWriter) {
        guard let e = m.hep else { return }
        w.field("hep_version", e.version)
        w.field("hep_node", e.nodeID.map { Int($0) })
        w.field("hep_node_name", e.nodeName)
        w.field("hep_correlation_id", e.correlationID)
        w.field("hep_compressed", e.wasCompressed)
    }
}
