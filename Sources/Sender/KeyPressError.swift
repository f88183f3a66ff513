import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Why a key press did not happen, in words a user can act on.
public enum KeyPressError: Error, Sendable, CustomStringConvertible {
    case unresolvable(host: String)
    case refused(host: String, port: Int)
    case unreachable(host: String, port: Int, String)
    case noAnswer(host: String, port: Int)
    case broken(host: String, port: Int, String)
    /// The phone answered, but not 200.
    case status(Int, String, target: String)
    /// The phone asked for a password and none was given.
    case needsPassword(scheme: String)
    case auth(String)

    public var description: String {
        switch self {
        case .unresolvable(let host): return "the name \(host) does not resolve to an address"
        case .refused(let host, let port): return "\(host) port \(port) refused the connection: is its web server on, and on that port?"
        case .unreachable(let host, let port, let why): return "cannot connect to \(host) port \(port): \(why)"
        case .noAnswer(let host, let port): return "\(host) port \(port) did not answer in time"
        case .broken(let host, let port, let why): return "the connection to \(host) port \(port) failed: \(why)"
        case .status(401, let reason, let target): return "HTTP 401 \(reason) for \(target): the phone refused the user name or password"
        case .status(let code, let reason, let target): return "HTTP \(code) \(reason) for \(target)"
        case .needsPassword(let scheme): return "the phone asks for \(scheme) authentication (HTTP 401): give a password"
        case .auth(let why): return why
        }
    }

    /// Sorts a connect failure from NIO into refused, unresolvable, timed out, or other.
    static func connecting(host: String, port: Int, _ error: Error) -> KeyPressError {
        if let e = error as? NIOConnectionError {
            if e.connectionErrors.isEmpty { return .unresolvable(host: host) }
            if e.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                return .refused(host: host, port: port)
            }
            if e.connectionErrors.contains(where: { ($0.error as? ChannelError) == .connectTimeout(.seconds(0)) || "\($0.error)".contains("connectTimeout") }) {
                return .noAnswer(host: host, port: port)
            }
            return .unreachable(host: host, port: port, e.connectionErrors.map { "\($0.error)" }.joined(separator: "; "))
        }
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED { return .refused(host: host, port: port) }
        if case ChannelError.connectTimeout = error { return .noAnswer(host: host, port: port) }
        if "\(error)".contains("connectTimeout") { return .noAnswer(host: host, port: port) }
        return .unreachable(host: host, port: port, "\(error)")
    }
}
