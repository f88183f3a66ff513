import SIPCapture
import Buttons
import Capture
import Base
import SIP

/// One lamp description the registrar sent a phone: the key it was meant for, how the phone read
/// it, and the MESSAGE exchange that carried it.
public struct SentKeyDocument: Sendable {
    public var user: String
    /// The key the sender meant: `k=`'s value, or the first word of a `k=3 c=on` line, or the
    /// `k=` that came too late in its description.
    public var key: String
    /// The key a phone reads: nil when the description does not begin with `k=`.
    public var readKey: String?
    public var exchange: Exchange
    public var description: KeyDescription
    /// Findings on this description's lines and on the whole document.
    public var findings: [ButtonsFinding]
    /// Content-Length cut this description (partly, or wholly: then it is read from the wire bytes).
    public var cutByContentLength: Bool
    /// The description is on the wire but past the declared Content-Length: the phone never read it.
    public var beyondContentLength: Bool

    public var frame: Int { exchange.request.frame }
    public var time: Timestamp { exchange.request.time }
    /// The key's state once a phone applies it (a description replaces the whole state).
    public var state: KeyState { description.state }

    /// Error-severity problems a phone would trip over: the message's own (Content-Length…) and the
    /// description's.
    public var errors: [Diagnostic] {
        exchange.request.diagnostics.filter { $0.severity == .error }
            + findings.filter { $0.severity == .error }.map(\.diagnostic)
    }

    /// Whether `c=` was written: without it the spec's reset semantics turn the lamp off.
    public var setsLight: Bool { description.entries.contains { $0.property == .light } }
}

extension SentKeyDocument {
    /// The descriptions an exchange carried to a phone, and the document as the phone read it;
    /// nil when the exchange carried no x-buttons document to a phone.
    public static func all(in e: Exchange) -> (user: String, read: ButtonsDocument, documents: [SentKeyDocument])? {
        guard carriesDocumentToPhone(e.request), let user = PhoneParty.phone(of: e.request)?.user else { return nil }
        let read = ButtonsDocument(decoding: e.request.effectiveBody)
        return (user, read, descriptions(in: e, user: user, read: read))
    }

    /// A MESSAGE to a phone whose Content-Type or body says x-buttons.
    public static func carriesDocumentToPhone(_ m: CapturedMessage) -> Bool {
        guard m.message.method?.tokenUppercased == "MESSAGE", PhoneParty.direction(of: m) == .toPhone else { return false }
        return CarriedDocument(m) != nil
    }

    static func descriptions(in e: Exchange, user: String, read: ButtonsDocument) -> [SentKeyDocument] {
        var out: [SentKeyDocument] = []
        for (i, d) in read.descriptions.enumerated() {
            guard let key = intendedKey(d, in: read) else { continue }
            let wire = e.request.message.body != e.request.effectiveBody
                ? ButtonsDocument(decoding: e.request.message.body) : read
            let cut = i >= wire.descriptions.count || wire.descriptions[i] != d
            out.append(SentKeyDocument(user: user, key: key, readKey: d.key, exchange: e, description: d,
                                       findings: findings(for: d, index: i, in: read), cutByContentLength: cut,
                                       beyondContentLength: false))
        }
        // Descriptions the phone never read: past the declared Content-Length.
        if e.request.message.body.count > e.request.effectiveBody.count {
            let wire = ButtonsDocument(decoding: e.request.message.body)
            for d in wire.descriptions.dropFirst(read.descriptions.count) {
                guard let key = intendedKey(d, in: wire) else { continue }
                out.append(SentKeyDocument(user: user, key: key, readKey: nil, exchange: e, description: d,
                                           findings: [], cutByContentLength: true, beyondContentLength: true))
            }
        }
        return out
    }

    /// The key a description was meant for, read the way a person would.
    static func intendedKey(_ d: KeyDescription, in doc: ButtonsDocument) -> String? {
        if let k = d.key { return intendedKey(named: k) }
        return d.value(of: .key)
    }

    /// `k=3 c=on l=Sales` on one line: a phone reads a key named "3 c=on l=Sales"; the sender meant 3.
    public static func intendedKey(named k: String) -> String {
        if let space = k.firstIndex(of: " "), k[k.index(after: space)...].contains("=") { return String(k[..<space]) }
        return k
    }

    static func findings(for d: KeyDescription, index: Int, in doc: ButtonsDocument) -> [ButtonsFinding] {
        let first = d.entries.map(\.line).min() ?? d.line
        let next = doc.descriptions.dropFirst(index + 1).first?.entries.map(\.line).min() ?? Int.max
        return doc.findings.filter { f in
            guard let line = f.line else { return true }
            return line >= first && line < next
        }
    }
}
