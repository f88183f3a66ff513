import Base
import Buttons
import NIOConcurrencyHelpers
import SIP

/// The phone's state behind one lock: the key panel, and the answers already given, so a UDP
/// retransmission gets the same answer again without the document being applied twice.
final class PhoneCore: Sendable {
    private struct State {
        var panel = PhoneKeyPanel()
        var answered: [String: [UInt8]] = [:]
        var answeredOrder: [String] = []
    }

    static let maxRemembered = 512

    let handler: PhoneRequestHandler
    let limits: PhoneLimits
    private let state = NIOLockedValueBox(State())
    private let onEvent: @Sendable (PhoneEvent) -> Void
    /// Open stream connections and the bytes their framers hold, across all of them.
    private let streams = NIOLockedValueBox((connections: 0, partialBytes: 0))

    init(handler: PhoneRequestHandler, limits: PhoneLimits = PhoneLimits(), onEvent: @escaping @Sendable (PhoneEvent) -> Void) {
        self.handler = handler
        self.limits = limits
        self.onEvent = onEvent
    }

    /// A connection arrives: false when `maxConnections` are already open (it is to be closed).
    func openConnection() -> Bool {
        streams.withLockedValue { s in
            guard s.connections < limits.maxConnections else { return false }
            s.connections += 1
            return true
        }
    }

    func closeConnection() {
        streams.withLockedValue { $0.connections -= 1 }
    }

    /// A connection's held bytes went from `old` to `new`; false when all connections together
    /// now hold more than `maxPartialBytesTotal` (that connection is to be closed).
    func holdPartial(from old: Int, to new: Int) -> Bool {
        streams.withLockedValue { s in
            s.partialBytes += new - old
            return s.partialBytes <= limits.maxPartialBytesTotal
        }
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
        let bodyBytes = max(body.count, request.declaredContentLength.value ?? 0)
        if bodyBytes > limits.maxBodyBytes, request.method?.uppercased() != "ACK", request.header("via") != nil {
            // A phone's memory is small: RFC 3261 §21.4.11, the body is too large to take.
            drop("\(request.method ?? "request") with a \(bodyBytes)-byte body, more than the \(limits.maxBodyBytes) a phone takes: 413", from: from)
            return SIPSerializer.serialize(handler.response(to: request, 413, "Request Entity Too Large", sourceHost: sourceHost, sourcePort: sourcePort))
        }
        if request.method?.uppercased() == "BYE", request.header("via") != nil, let callID = request.callID {
            // RFC 3261 §15.1.2: a BYE for a dialog the phone has ends it (200), else 481.
            let known = dialogs.withLockedValue { $0 }?(callID) ?? false
            let response = handler.response(to: request, known ? 200 : 481, known ? "OK" : "Call/Transaction Does Not Exist",
                                            sourceHost: sourceHost, sourcePort: sourcePort)
            let bytes = SIPSerializer.serialize(response)
            if let transactionKey {
                state.withLockedValue { s in
                    s.answered[transactionKey] = bytes
                    s.answeredOrder.append(transactionKey)
                    if s.answeredOrder.count > PhoneCore.maxRemembered { s.answered[s.answeredOrder.removeFirst()] = nil }
                }
            }
            onEvent(.answered(method: "BYE", status: known ? 200 : 481, from: from, transport: transport, time: now))
            return bytes
        }
        let answer = handler.answer(request, body: body, sourceHost: sourceHost, sourcePort: sourcePort)
        guard let response = answer.response else { return nil }
        let bytes = SIPSerializer.serialize(response)
        var changes: [PhoneKeyChange] = []
        var ignored = 0
        state.withLockedValue { s in
            let before = s.panel.ignoredDescriptions
            if let document = answer.document { changes = s.panel.apply(document, limits: limits) }
            ignored = s.panel.ignoredDescriptions - before
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
        if ignored > 0 {
            drop("\(ignored) key description\(ignored == 1 ? "" : "s") ignored: a phone has at most \(limits.maxKeys) keys (names up to \(limits.maxKeyNameBytes) bytes, \(limits.maxDescriptionsPerDocument) per document)", from: from)
        }
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

    /// Whether a Call-ID is a call of the phone's own that a BYE may end (true: ended).
    func onPeerBye(_ end: @escaping @Sendable (String) -> Bool) {
        dialogs.withLockedValue { $0 = end }
    }
    private let dialogs = NIOLockedValueBox<(@Sendable (String) -> Bool)?>(nil)

    func drop(_ reason: String, from: String) {
        onEvent(.dropped(reason: reason, from: from, time: Timestamp.now().epochSeconds))
    }
}
