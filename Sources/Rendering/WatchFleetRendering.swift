import SIPCapture
import Capture
import SIP

/// What `watch` adds to its lines and events for messages that came by HEP: the capture agent
/// (node ID and address), so a fleet's PBXs can be told apart. Messages from an interface get nothing.
public enum WatchFleetRendering {
    /// NDJSON fields: `node` (the agent's node ID, null when it sent none) and `agent` (its address).
    public static func writeAgentFields(_ m: CapturedMessage, to w: inout JSONWriter) {
        guard let e = m.hep else { return }
        w.field("node", e.nodeID.map { Int($0) })
        w.field("agent", e.agent)
    }

    /// The column that groups a fleet's lines by PBX, when there are several.
    public static func tag(_ pbx: String?) -> String {
        guard let pbx else { return "" }
        return "[\(TerminalText.safe(pbx))] "
    }
}
