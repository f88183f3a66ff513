import Base
import Analysis
import Capture
import SIP
import Pipeline
import Rendering

/// mod_snom's `snom_command` target: an address, or a SIP user found through registrations —
/// `*/USER`, `*/USER@DOMAIN`, `PROFILE/USER@DOMAIN`. ButtonScope knows registrations from a
/// capture: the user is the source address of its latest live REGISTER there ("A user is
/// resolved to the source address of its REGISTER (the NAT address, if any)").
struct PressTarget {
    /// `*` or a profile name; nil for a plain address.
    var profile: String?
    var user: String?
    var domain: String?
    var host: String

    /// What the resolution said, for stderr.
    var note: String?
    var registeredFrame: Int?

    /// Splits the argument; a plain address is returned as is.
    static func parse(_ text: String) throws -> PressTarget {
        guard let slash = text.firstIndex(of: "/") else { return PressTarget(host: text) }
        let prefix = String(text[..<slash])
        let rest = String(text[text.index(after: slash)...])
        guard !prefix.isEmpty else { throw UnusableInput("\(TerminalText.safe(text)): give */USER, */USER@DOMAIN or PROFILE/USER@DOMAIN") }
        let parts = rest.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let user = parts.first, !user.isEmpty, !user.contains(where: { $0 == "/" || $0.isWhitespace }) else {
            throw UnusableInput("\(TerminalText.safe(text)): no SIP user after the /")
        }
        let domain = parts.count == 2 ? parts[1] : nil
        if domain?.isEmpty == true { throw UnusableInput("\(TerminalText.safe(text)): no domain after the @") }
        if prefix != "*" && domain == nil {
            throw UnusableInput("\(TerminalText.safe(text)): with a profile, give PROFILE/USER@DOMAIN (as snom_command does), or */USER")
        }
        return PressTarget(profile: prefix, user: user, domain: domain, host: "")
    }

    var isUser: Bool { user != nil }

    /// Resolves a user through the REGISTERs of `capture` as they stood at the capture's end.
    mutating func resolve(capture: String) throws {
        guard let user else { return }
        var registrations = Registrations()
        let tracked = try TrackedCapture.stream(CaptureArgument.forPath(capture).source()) { exchange in registrations.add(exchange) }
        let end = tracked.end ?? Timestamp(seconds: 0, nanoseconds: 0)
        let name = "\(profile ?? "*")/\(user)\(domain.map { "@\($0)" } ?? "")"
        let at = "at the capture's end (\(ClockTime.format(end)))"
        switch RegisteredUser.locate(user, domain: domain, in: registrations, at: end) {
        case .found(let c):
            host = c.host
            registeredFrame = c.record.frame
            note = "\(name) is \(c.host): REGISTER frame \(c.record.frame) in \(capture), \(Self.describe(c.state))"
        case .ambiguous(let all):
            throw UnusableInput("\(name) is ambiguous: \(all.count) live registrations \(at) in \(capture): "
                                + all.map(Self.describe).joined(separator: "; ") + ". Press one of these addresses by itself")
        case .notLive(let all):
            throw UnusableInput("\(name) has no live registration \(at) in \(capture): "
                                + all.map(Self.describe).joined(separator: "; "))
        case .failed(let r):
            throw UnusableInput("\(name) never registered successfully in \(capture): the last REGISTER (frame \(r.frame)) got "
                                + (r.status.map(String.init) ?? "no answer"))
        case .neverSeen(let known):
            throw UnusableInput("\(name): no REGISTER of \(user)\(domain.map { " in \($0)" } ?? "") in \(capture)"
                                + (known.isEmpty ? " (it holds none at all)" : " (users that registered: \(known.prefix(20).joined(separator: ", ")))"))
        }
    }

    static func describe(_ c: RegistrationCandidate) -> String {
        "\(c.host) (REGISTER frame \(c.record.frame), \(describe(c.state)))"
    }

    static func describe(_ state: RegistrationCandidate.State) -> String {
        switch state {
        case .live(let until): return "live until \(ClockTime.format(until))"
        case .expired(let at): return "expired at \(ClockTime.format(at))"
        case .deregistered: return "deregistered"
        }
    }
}
