import Base
import SIP

/// Which Snom firmware series a phone runs: the advice on the phone's side depends on it
/// (mod_snom: "Snom firmware 8.x: … you must set the line type to 'button' and the Number to
/// the number of the line"; "Snom firmware 7.x: … you must set the line type to 'button'").
public enum FirmwareSeries: Sendable, Equatable {
    case seven
    case eight
    /// Another major version (10 on a D785): what mod_snom says is only known for 7.x and 8.x.
    case other(major: Int)
}

/// A phone's model and firmware as its `User-Agent` (or `Server`) names them: `snom370/8.7.5.35`,
/// `snomD785/10.1.54.13`, `snom360-SIP 6.5.20`.
public struct PhoneDevice: Sendable, Equatable {
    public var userAgent: String
    /// `snom370`; nil when the User-Agent is not a Snom's.
    public var model: String?
    /// `8.7.5.35`.
    public var firmware: String?
    /// The frame the User-Agent was read in.
    public var frame: Int

    public init(userAgent: String, frame: Int) {
        self.userAgent = userAgent
        self.frame = frame
        (model, firmware) = Self.parse(userAgent)
        series = Self.series(of: firmware)
    }

    /// Read once, with the User-Agent: advice asks for it for every key of the phone.
    public private(set) var series: FirmwareSeries?

    static func series(of firmware: String?) -> FirmwareSeries? {
        guard let major = firmware?.split(separator: ".").first.flatMap({ Int($0) }) else { return nil }
        switch major {
        case 7: return .seven
        case 8: return .eight
        default: return .other(major: major)
        }
    }

    /// "snom370, firmware 8.7.5.35" or the User-Agent as written when it names no Snom.
    public var text: String {
        guard let model else { return "User-Agent \"\(userAgent)\" (not a Snom: model and firmware unknown)" }
        return model + (firmware.map { ", firmware \($0)" } ?? ", firmware unknown")
    }

    /// `snom` + model, then `/` or `-SIP ` or a space, then the version.
    static func parse(_ ua: String) -> (model: String?, firmware: String?) {
        let token = ua.split(separator: " ").first.map(String.init) ?? ""
        guard token.lowercased().hasPrefix("snom") else { return (nil, nil) }
        var model = token
        var version: String?
        if let slash = token.firstIndex(of: "/") {
            model = String(token[..<slash])
            version = String(token[token.index(after: slash)...])
        } else {
            // `snom360-SIP 6.5.20`: the version is the next word.
            let words = ua.split(separator: " ")
            if words.count > 1 { version = String(words[1]) }
        }
        if model.hasSuffix("-SIP") { model = String(model.dropLast(4)) }
        let firmware = version.flatMap { v -> String? in
            let kept = v.prefix { $0.isNumber || $0 == "." }
            return kept.first?.isNumber == true ? String(kept) : nil
        }
        guard model.count > 4, model.count <= 32 else { return (nil, nil) }
        return (model, firmware)
    }
}

/// The latest `PhoneDevice` of each phone, read from its REGISTERs, its key presses and its
/// answers to the documents it got. Bounded by the number of phones.
public struct PhoneDevices: Sendable {
    public private(set) var byUser: [String: PhoneDevice] = [:]

    public init() {}

    /// `only`: keep this phone's device alone (`why` asks about one).
    public mutating func add(_ e: Exchange, only: String? = nil) {
        let request = e.request
        let msg = request.message
        guard let method = msg.method?.tokenUppercased else { return }
        if method == "REGISTER" {
            guard let user = msg.toUser ?? msg.fromUser else { return }
            note(user, msg.header("user-agent"), frame: request.frame, only: only)
        } else if method == "MESSAGE" {
            let direction = PhoneParty.direction(of: request)
            guard let user = PhoneParty.user(of: request, direction: direction) else { return }
            if direction == .fromPhone {
                note(user, msg.header("user-agent"), frame: request.frame, only: only)
            } else if let answer = e.finalResponse {
                note(user, answer.message.message.header("user-agent") ?? answer.message.message.header("server"), frame: answer.frame, only: only)
            }
        }
    }

    mutating func note(_ user: String, _ userAgent: String?, frame: Int, only: String?) {
        guard only == nil || only == user, let ua = userAgent?.trimmedSpaces, !ua.isEmpty else { return }
        let kept = String(ua.prefix(200))
        if let known = byUser[user] {
            if known.frame > frame { return }
            // The same phone says the same User-Agent in every answer: keep the parse, move the frame.
            if known.userAgent == kept { byUser[user]?.frame = frame; return }
        }
        byUser[user] = PhoneDevice(userAgent: kept, frame: frame)
    }

    public func device(of user: String) -> PhoneDevice? { byUser[user] }
}
