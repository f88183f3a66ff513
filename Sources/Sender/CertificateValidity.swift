#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL

/// A certificate's validity period in words: BoringSSL reports an expired certificate only as
/// CERTIFICATE_VERIFY_FAILED, which reads like an untrusted CA.
enum CertificateValidity {
    /// "expired on …" or "not valid before …", or nil when `now` is inside the period.
    static func problem(_ certificate: NIOSSLCertificate, now: time_t = time(nil)) -> String? {
        if certificate.notValidAfter < now {
            return "the phone's certificate expired on \(date(certificate.notValidAfter)) (CERTIFICATE_VERIFY_FAILED: renew it, or check this machine's clock)"
        }
        if certificate.notValidBefore > now {
            return "the phone's certificate is not valid before \(date(certificate.notValidBefore)) (CERTIFICATE_VERIFY_FAILED: check the clocks)"
        }
        return nil
    }

    static func date(_ t: time_t) -> String {
        var value = t
        var parts = tm()
        gmtime_r(&value, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }
}
