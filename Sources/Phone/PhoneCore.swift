import Capture
import Buttons
import NIOConcurrencyHelpers
import SIP

/// The phone's state behind one lock: the key panel, and the answers already given, so a UDP
/// retransmission gets the same answer again without the document being applied twice.
final class PhoneCore: @unchecked Sendable {
    private struct State {
        var panel = PhoneKeyPanel()
        var answered: [String: [UInt8]] = [:]
        var answeredOrder: [String] = []
    }

    static let maxRemembered = 512

    let handler: PhoneRequestHandler
    private let state = NIOLockedValueBox(State())
    private let onEvent: @Sendable (PhoneEvent) -> Void

    init(handler: PhoneRequestHandler, onEvent: @escaping @Sendable (PhoneEvent) -> Void) {
        self.handler = handler
        self.onEvent = onEvent
    }

    var keys: [String: KeyState] { state.withLockedValue { $0.panel.keys } }
    var panel: PhoneKeyPanel { state.withLockedValue { $0.panel } }

    /// Answers one request; returns the response bytes to send back, or nil for none.
    func receive(_ request: SIPMessage, body: [UInt8], sourceHost: String, sourcePort: Int,
                 transport: PhoneListenAddress.Transport) -> [UInt8]? {
        let from = sourcePort > 0 ? "\(sourceHost.contains(":") ? "[\(sourceHost)]" : sourceHost):\(sourcePort)" : sourceHost
        let now = Timestamp.now().epochSeconds
        // RFC 3261 §17.2.3: a server transaction is the top Via's branch and sent-by, and the method.
        let topVia = request.headerValues("via").first ?? ""
        let sentBy = topVia.split(separator: ";").first.map(String.init) ?? ""
        let transactionKey = request.topViaBranch.map { "\($0) \(request.cseq?.method ?? "") \(sentBy)" }
        if let transactionKey, let cached = state.withLockedValue({ $0.answered[transactionKey] }) {
            return cached
        }
        let answer = handler.answer(request, body: body, sourceHost: sourceHost, sourcePort: sourcePort)
        guard let response = answer.response else { return nil }
        let bytes = SIPSerializer.serialize(response)
        var changes: [PhoneKeyChange] = []
        state.withLockedValue { s in
            if let document = answer.document { changes = s.panel.apply(document) }
            if let transactionKey {
                s.answered[transactionKey] = bytes
                s.answeredOrder.append(transactionKey)
                if s.answeredOrder.count > PhoneCore.maxRemembered {
                    s.answered[s.answeredOrder.removeFirst()] = nil
                }
            }
        }
        onEvent(.answered(method: request.method ?? "?", status: response.statusCode ?? 0, from: from, transport: transport, time: now))
        if let document = answer.document, !document.findings.isEmpty {
            onEvent(.documentFindings(document.findings.map { "\($0.diagnostic.code): \($0.diagnostic.message)" }, from: from, time: now))
        }
        for change in changes { onEvent(.keyChanged(change, from: from, time: now)) }
        return bytes
    }

    /// Answers a request the phone will not read (a UDP request shorter than its Content-Length)
    /// with `status`, a Warning saying why, and says so in the log; nothing is applied.
    func reject(_ request: SIPMessage, status: Int, reason: String, why: String, sourceHost: String, sourcePort: Int,
                transport: PhoneListenAddress.Transport) -> [UInt8]? {
        let from = sourcePort > 0 ? "\(sourceHost.contains(":") ? "[\(sourceHost)]" : sourceHost):\(sourcePort)" : sourceHost
        let method = request.method ?? "request"
        guard request.header("via") != nil, request.callID != nil, request.cseq != nil else {
            drop("\(method): \(why), and no Via, Call-ID or CSeq to answer it with: discarded", from: from)
            return nil
        }
        var response = handler.response(to: request, status, reason, sourceHost: sourceHost, sourcePort: sourcePort)
        response.headers.insert(SIPHeader(name: "Warning", value: "399 buttonscope \"\(why)\""), at: response.headers.count - 1)
        drop("\(method): \(why): not applied; answered \(status) \(reason) (RFC 3261 §18.3)", from: from)
        onEvent(.answered(method: method, status: status, from: from, transport: transport, time: Timestamp.now().epochSeconds))
        return SIPSerializer.serialize(response)
    }

    /// A response that came to the listening socket: the answer to something the phone sent from it.
    func response(_ bytes: [UInt8], sourceHost: String, sourcePort: Int) {
        sink.withLockedValue { $0 }?(bytes, sourceHost, sourcePort)
    }

    /// Where responses to the phone's own requests go (its sender's transports).
    func onResponse(_ deliver: @escaping @Sendable ([UInt8], String, Int) -> Void) {
        sink.withLockedValue { $0 = deliver }
    }
    private let sink = NIOLockedValueBox<(@Sendable ([UInt8], String, Int) -> Void)?>(nil)

    func drop(_ reason: String, from: String) {
        onEvent(.dropped(reason: reason, from: from, time: Timestamp.now().epochSeconds))
    }
}
