import Sender
import Pipeline
import Rendering

/// A named sender setup, as FreeSWITCH names a sofia profile in `snom_bind_key … <profile>`:
/// where to send from, how, whom to trust, and which capture tells where users are registered.
/// Every field is optional; what a profile leaves out (or a profile the file does not define)
/// is the default, and what the command line says wins over both.
struct SenderProfile: Equatable {
    var name: String
    /// `local = "127.0.0.1:5070"`: the local address (and port) to send from.
    var local: String?
    /// `transport = "udp" | "tcp" | "tls"`: how bind-key reaches the phone.
    var transport: SIPTransportKind?
    /// `port = 5062`: the phone's SIP port when HOST names none.
    var port: Int?
    /// `ca_file = "lab-ca.pem"`: TLS trust.
    var caFile: String?
    /// `insecure = true`: TLS without certificate checks (lab phones).
    var insecure: Bool?
    /// `server_name = "phone.lab"`: TLS name to check and send as SNI.
    var serverName: String?
    /// `registrations = "field.pcap"`: the capture `press PROFILE/USER@DOMAIN` resolves users in.
    var registrations: String?

    /// The keys a profile table may hold, for the error that names an unknown one.
    static let keys = ["local", "transport", "port", "ca_file", "insecure", "server_name", "registrations"]

    /// The sender options with the profile's values filled in where the command line left them out.
    func applied(to options: SenderOptions) -> SenderOptions {
        var o = options
        if o.local == nil { o.local = local }
        if o.caFile == nil { o.caFile = caFile }
        if o.serverName == nil { o.serverName = serverName }
        if !o.insecure, insecure == true { o.insecure = true }
        return o
    }
}
