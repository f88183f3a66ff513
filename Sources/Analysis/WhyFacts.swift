import Base
import Buttons
import Capture
import SIP

/// What `why` needs, gathered from exchanges handed on in request frame order, and bounded
/// whatever the capture's length: per phone, its registrations (the last `keptRegistrations`), how
/// many documents it got, the last one up to `until` and the keys it got; per key, only the last
/// document up to `until`, the clean one before it (for the overwritten check) and the first one
/// after `until`, each with the registration it was sent under.
///
/// `user` and `key` narrow it to one phone and key (`why`); nil keeps every one (`summary`).
public struct WhyFacts {
    /// One exchange that carried documents to `user`, with the registration status when it was
    /// sent: shared by every description it carried (an initial state describes every key).
    final class Carrier {
        let user: String
        let exchange: Exchange
        let registration: RegistrationStatus
        init(user: String, exchange: Exchange, registration: RegistrationStatus) {
            self.user = user
            self.exchange = exchange
            self.registration = registration
        }

        /// The descriptions, read again from the body: cheaper to redo for the few keys asked
        /// about than to keep decoded for every key of every phone.
        func documents() -> [SentKeyDocument] {
            SentKeyDocument.descriptions(in: exchange, user: user, read: ButtonsDocument(decoding: exchange.request.effectiveBody))
        }
    }

    /// A document, found again through its carrier; what the streaming needs of it is kept beside.
    struct Placed {
        var carrier: Carrier
        var index: Int
        var light: String
        var isClean: Bool

        init(_ d: SentKeyDocument, index: Int, carrier: Carrier) {
            self.carrier = carrier
            self.index = index
            light = d.state.light
            isClean = WhyFacts.isClean(d)
        }

        /// Its document; `read` keeps each carrier's documents while one phone's keys are asked.
        func document(_ read: inout DocumentCache) -> SentKeyDocument? {
            let id = ObjectIdentifier(carrier)
            let all = read[id] ?? carrier.documents()
            read[id] = all
            return all.indices.contains(index) ? all[index] : nil
        }
        var registration: RegistrationStatus { carrier.registration }
    }

    typealias DocumentCache = [ObjectIdentifier: [SentKeyDocument]]

    /// One key of one phone: what its chain can be walked from.
    struct KeyHistory {
        /// Documents up to `until`.
        var count = 0
        var last: Placed?
        /// The last accepted, error-free document before `last`.
        var previousClean: Placed?
        var firstAfter: (frame: Int, time: Timestamp)?
    }

    /// One phone's documents, counted.
    public struct PhoneFacts {
        /// MESSAGE exchanges that carried a document to it.
        public var documents = 0
        /// The last of them up to `until`.
        public var lastDocument: (frame: Int, time: Timestamp)?
        /// Keys it got documents for, in first-seen order.
        public private(set) var keys: [String] = []
        private var seen: Set<String> = []

        mutating func note(key: String) {
            if seen.insert(key).inserted { keys.append(key) }
        }
    }

    public let user: String?
    public let key: String?
    public let until: Timestamp?
    public private(set) var registrations: Registrations
    public private(set) var phones: [String: PhoneFacts] = [:]
    /// Each phone's model and firmware, from its User-Agent: the phone-side advice follows it.
    public private(set) var devices = PhoneDevices()
    private var histories: [String: [String: KeyHistory]] = [:]
    /// When the capture began and ended: "the capture began later" needs the first.
    public var captureStart: Timestamp?
    public var captureEnd: Timestamp?

    public init(user: String? = nil, key: String? = nil, until: Timestamp? = nil, keptRegistrations: Int? = nil) {
        self.user = user
        self.key = key.map(SentKeyDocument.intendedKey(named:))
        self.until = until
        registrations = Registrations(keepLast: keptRegistrations)
    }

    /// Reads one exchange (in request frame order). Returns the document it carried to a phone,
    /// as the phone read it, if it carried one.
    @discardableResult
    public mutating func add(_ e: Exchange) -> ButtonsDocument? {
        devices.add(e, only: user)
        if var r = RegisterRecord(e) {
            // What the record needs of the headers it has read; the rest goes.
            r.exchange = e.keptForWhy()
            if user == nil || user == r.user { registrations.add(r) }
            return nil
        }
        guard let (phone, read, documents) = SentKeyDocument.all(in: e) else { return nil }
        guard user == nil || user == phone else { return read }
        let inTime = until.map { e.request.time <= $0 } ?? true
        var facts = phones[phone] ?? PhoneFacts()
        facts.documents += 1
        if inTime { facts.lastDocument = (e.request.frame, e.request.time) }
        for d in documents { facts.note(key: d.key) }
        phones[phone] = facts
        // One slim copy of the exchange, shared by every description it carried.
        var carrier: Carrier?
        for (i, d) in documents.enumerated() where key == nil || key == d.key {
            var h = histories[phone]?[d.key] ?? KeyHistory()
            if until.map({ d.time <= $0 }) ?? true {
                h.count += 1
                // Only a clean document with its lamp lit can be found overwritten: keep no other.
                if let last = h.last, last.isClean { h.previousClean = last.light != KeyState.defaultLight ? last : nil }
                let c = carrier ?? Carrier(user: phone, exchange: e.keptForWhy(), registration: registrations.status(of: phone, at: e.request.time))
                carrier = c
                h.last = Placed(d, index: i, carrier: c)
            } else if h.firstAfter == nil {
                h.firstAfter = (d.frame, d.time)
            }
            histories[phone, default: [:]][d.key] = h
        }
        return read
    }

    /// Every phone that registered or got a document.
    public var users: [String] { Array(Set(registrations.users).union(phones.keys)) }

    /// Keys a phone got documents for, in first-seen order.
    public func keys(user: String) -> [String] { phones[user]?.keys ?? [] }

    static func isClean(_ d: SentKeyDocument) -> Bool { d.exchange.outcome == .accepted && d.errors.isEmpty }

    func history(user: String, key: String) -> KeyHistory {
        histories[user]?[SentKeyDocument.intendedKey(named: key)] ?? KeyHistory()
    }

    /// A status taken while streaming said "never seen" before the phone's first REGISTER came:
    /// the capture's end knows better.
    func resolved(_ status: RegistrationStatus, user: String) -> RegistrationStatus {
        if case .neverSeen = status, let first = registrations.first(of: user) { return .notYet(first: first) }
        return status
    }
}
