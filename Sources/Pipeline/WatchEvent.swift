import Analysis
import Capture
import Base
import SIP
import SIPCapture

/// What `WatchSession` decides as frames arrive, in the order decided: the renderer turns each
/// into lines or an NDJSON event, the CLI prints them. `pbx` names the capture agent a line is
/// tagged with once a fleet has more than one (nil otherwise).
public enum WatchEvent {
    case document(CarriedDocument, findings: [LintFinding], pbx: String?)
    case key(KeyEvent, from: CapturedMessage, pbx: String?)
    /// `user`: the phone of the document answered (as the document's line named it).
    case answer(CapturedMessage, to: LiveExchanges.Pending, user: String?, pbx: String?)
    case retransmission(CapturedMessage, of: LiveExchanges.Pending, pbx: String?)
    case unanswered(LiveExchanges.Pending, reason: String, time: Timestamp, user: String?, pbx: String?)
    case diagnostic(Diagnostic)
}
