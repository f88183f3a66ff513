#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL

/// The TLS client context from the user's trust choice: a CA file, the system store, or none.
enum TLSClientContext {
    /// Full verification unless `--insecure`: the chain, and the name. With a server name (the
    /// --to host, or --tls-server-name) the certificate must hold it; to an IP address without
    /// one, swift-nio-ssl checks the peer's address against the certificate's IP SANs, as
    /// browsers do, so a certificate for another host signed by the same CA is refused.
    static func make(_ options: TLSOptions) throws -> NIOSSLContext {
        var config = TLSConfiguration.makeClientConfiguration()
        if let keyLog = options.keyLog { config.keyLogCallback = keyLog.callback }
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
