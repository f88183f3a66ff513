import Base
import NIOCore
import NIOPosix

/// mod_snom's `snom_command`: fetch a key sequence or action page from a phone's web server,
/// answering its 401 with Basic or Digest, whichever it asks for. Success is HTTP 200.
public struct KeyPress: Sendable {
    public struct Result: Sendable {
        public var status: Int
        public var reason: String
        public var target: String
        /// `Basic` or `Digest` when the phone asked for authentication, nil when it did not.
        public var authScheme: String?
    }

    public var http: HTTPGet
    public var credentials: HTTPCredentials?

    public init(host: String, port: Int = 80, credentials: HTTPCredentials?) {
        http = HTTPGet(host: host, port: port)
        self.credentials = credentials
    }

    /// Blocks until done; call from outside any event loop (the CLI's main thread).
    public func run(_ request: KeyPressRequest, on group: EventLoopGroup) throws -> Result {
        let target = request.target
        let first = try http.fetch(target: target, headers: [], on: group).wait()
        if first.status == 200 { return Result(status: 200, reason: first.reason, target: target, authScheme: nil) }
        guard first.status == 401 else { throw KeyPressError.status(first.status, first.reason, target: target) }
        let challenges = first.headerValues("WWW-Authenticate").flatMap(HTTPAuthChallenge.parse)
        // Digest first: it keeps the password off the wire.
        guard let challenge = challenges.first(where: \.isDigest) ?? challenges.first(where: \.isBasic) else {
            throw KeyPressError.auth("the phone answered 401 without a Basic or Digest challenge"
                                     + (challenges.isEmpty ? "" : " (it offers \(challenges.map(\.scheme).joined(separator: ", ")))"))
        }
        guard let credentials else { throw KeyPressError.needsPassword(scheme: challenge.scheme) }
        let authorization = challenge.isDigest
            ? try credentials.digestAuthorization(challenge, method: "GET", target: target, cnonce: KeyPress.cnonce())
            : credentials.basicAuthorization()
        let second = try http.fetch(target: target, headers: [("Authorization", authorization)], on: group).wait()
        guard second.status == 200 else { throw KeyPressError.status(second.status, second.reason, target: target) }
        return Result(status: 200, reason: second.reason, target: target, authScheme: challenge.isDigest ? "Digest" : "Basic")
    }

    static func cnonce() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(g.next() as UInt32, radix: 16).leftPadded(to: 8) }.joined()
    }
}
