import Capture
import Phone
import Sender
import TLSKeys

/// Errors as the command line says them: the libraries name what is wrong and, as a typed
/// remedy, what would help; only here is that remedy spelled as one of our options.
enum OptionHint {
    /// The keys that unlock a TLS connection, as `--tls-keylog` and `--tls-key` take them.
    static let tlsKeys = TLSKeyRemedy(keyLog: "--tls-keylog FILE", serverKey: "--tls-key FILE")

    static func text(_ error: Error) -> String {
        switch error {
        case let e as SenderError: return text(e)
        case let e as KeyPressError: return text(e)
        case let e as PhoneError: return text(e)
        case let e as HEPListenAddressError: return "--hep \(e)"
        case let e as HEPReceiverError: return "--hep \(e)"
        case let e as LiveCaptureError: return text(e)
        default: return "\(error)"
        }
    }

    static func text(_ error: SenderError) -> String {
        switch error.remedy {
        case .trustPhoneCertificate?: return "\(error) (use --ca-file with the phone's CA, or --insecure for a lab phone)"
        case .serverNameForAddress?: return "\(error) (a phone whose certificate names it by host name: give that name with --tls-server-name NAME)"
        case .serverName?: return "\(error) (give the name it holds with --tls-server-name NAME)"
        case nil: return "\(error)"
        }
    }

    static func text(_ error: KeyPressError) -> String {
        switch error {
        case .refused(let host, let port): return "\(host) port \(port) refused the connection: is its web server on, and on that port (--port)?"
        case .needsPassword(let scheme): return "the phone asks for \(scheme) authentication (HTTP 401): give a password with --password-env or --password-file"
        default: return "\(error)"
        }
    }

    static func text(_ error: PhoneError) -> String {
        switch error {
        case .badListenAddress: return "--listen \(error)"
        case .noListenAddress: return "give at least one --listen address"
        case .tlsListenerNeedsCertificate: return "TLS: a tls: listener needs --tls-cert and --tls-key (PEM files)"
        default: return "\(error)"
        }
    }

    static func text(_ error: LiveCaptureError) -> String {
        if case .badFilter(let filter, let detail) = error { return "--bpf \(filter): \(detail)" }
        return "\(error)"
    }
}
