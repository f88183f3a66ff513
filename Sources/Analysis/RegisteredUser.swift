import Base
import Capture
import SIP

/// Where a user is, from the REGISTERs a capture shows, the way mod_snom's `snom_command
/// */USER` finds a phone: "A user is resolved to the source address of its REGISTER (the NAT
/// address, if any)". One candidate per source address, from its latest successful REGISTER.
public struct RegistrationCandidate: Sendable {
    /// The REGISTER's source address: where the phone (or its NAT) is.
    public var host: String
    public var record: RegisterRecord
    public var state: State

    public enum State: Sendable, Equatable {
        case live(until: Timestamp)
        case expired(at: Timestamp)
        case deregistered
    }

    public var isLive: Bool { if case .live = state { return true } else { return false } }
}

/// The answer for one user: one live address, or why there is none to press on.
public enum RegisteredUserLocation: Sendable {
    case found(RegistrationCandidate)
    /// Several source addresses hold live registrations: which phone is meant cannot be told.
    case ambiguous([RegistrationCandidate])
    /// Registrations were seen, none live at the moment asked about.
    case notLive([RegistrationCandidate])
    /// REGISTERs were sent, none succeeded (the last one).
    case failed(RegisterRecord)
    /// No REGISTER of this user (in this domain); the users that did register.
    case neverSeen(knownUsers: [String])
}

public enum RegisteredUser {
    /// Resolves `user` (optionally only in `domain`, the AOR's host) at `time`, normally the
    /// capture's end.
    public static func locate(_ user: String, domain: String?, in registrations: Registrations, at time: Timestamp) -> RegisteredUserLocation {
        let records = registrations.records(of: user).filter { r in
            guard let domain else { return true }
            let aor = r.exchange.request.message.to ?? r.exchange.request.message.from
            return aor?.host.lowercased() == domain.lowercased()
        }
        guard !records.isEmpty else {
            return .neverSeen(knownUsers: registrations.users.filter { !registrations.records(of: $0).isEmpty })
        }
        var latestBySource: [String: RegisterRecord] = [:]
        var order: [String] = []
        for r in records where r.succeeded && r.start <= time {
            let host = r.exchange.request.source.address.description
            if latestBySource[host] == nil { order.append(host) }
            latestBySource[host] = r
        }
        guard !order.isEmpty else { return .failed(records.last!) }
        let candidates = order.map { host -> RegistrationCandidate in
            let r = latestBySource[host]!
            let state: RegistrationCandidate.State
            if r.isDeregistration { state = .deregistered }
            else if let end = r.end, end <= time { state = .expired(at: end) }
            else { state = .live(until: r.end ?? time) }
            return RegistrationCandidate(host: host, record: r, state: state)
        }
        let live = candidates.filter(\.isLive)
        if live.count == 1 { return .found(live[0]) }
        if live.count > 1 { return .ambiguous(live) }
        return .notLive(candidates)
    }
}
