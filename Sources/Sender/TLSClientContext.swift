#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL

/// The TLS client context from the user's trust choice: a CA file, the system store, or none.
enum TLSClientContext {
    /// An IP target without a server name has no name to check: the chain is still verified.
    static func make(_ options: TLSOptions, hostIsIP: Bool = false) throws -> NIOSSLContext {
        var config = TLSConfiguration.makeClientConfiguration()
        if hostIsIP && options.serverName == nil { config.certificateVerification = .noHostnameVerification }
        if options.insecure {
            config.certificateVerification = .none
        } else if let caFile = options.caFile {
            guard access(caFile, R_OK) == 0 else { throw SenderError.tlsSetup("cannot read CA file \(caFile)") }
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                guard !certificates.isEmpty else { throw SenderError.tlsSetup("\(caFile) holds no PEM certificate") }
                config.trustRoots = .certificates(certificates)
            } catch let e as SenderError {
                throw e
            } catch {
                throw SenderError.tlsSetup("\(caFile) is not a PEM certificate file (\(error))")
            }
        }
        do {
            return try NIOSSLContext(configuration: config)
        } catch {
            throw SenderError.tlsSetup("\(error)")
        }
    }
}
