import SIPCapture
import Base
import Capture
import SIP

/// Hand-built SIP messages for analysis tests: written as text the way they travel, parsed by the
/// real header parser, placed on a timeline with frames and endpoints.
public enum Fix {
    public static let pbx = Endpoint(address: IPAddress([10, 0, 0, 1]), port: 5060)
    public static let phone44 = Endpoint(address: IPAddress([10, 0, 0, 44]), port: 5060)
    public static let phone45 = Endpoint(address: IPAddress([10, 0, 0, 45]), port: 5060)
    public static let base: Int64 = 1_700_000_000

    public static func time(_ s: Double) -> Timestamp {
        let whole = s.rounded(.down)
        return Timestamp(seconds: base + Int64(whole), nanoseconds: Int64(((s - whole) * 1e9).rounded()))
    }

    /// `lines` are the start line and headers; Content-Length is added unless `contentLength` says otherwise.
    public static func message(_ lines: [String], body: String = "", contentLength: Int? = -1, frame: Int, at t: Double,
                               from src: Endpoint, to dst: Endpoint, transport: TransportKind = .udp) -> CapturedMessage {
        capturedMessage(lines, body: body, contentLength: contentLength, frame: frame, time: time(t),
                        from: src, to: dst, transport: transport)
    }

    public static func request(_ method: String, uri: String, branch: String = "z9hG4bK-1", callID: String = "c1", cseq: UInt32 = 1,
                        fromUser: String = "44", toUser: String = "44", host: String = "pbx.example",
                        extra: [String] = [], body: String = "", contentLength: Int? = -1,
                        frame: Int, at t: Double, from src: Endpoint = pbx, to dst: Endpoint = phone44,
                        transport: TransportKind = .udp) -> CapturedMessage {
        let lines = ["\(method) \(uri) SIP/2.0",
                     "Via: SIP/2.0/\(transport == .udp ? "UDP" : "TCP") \(src);branch=\(branch)",
                     "From: <sip:\(fromUser)@\(host)>;tag=f1",
                     "To: <sip:\(toUser)@\(host)>",
                     "Call-ID: \(callID)",
                     "CSeq: \(cseq) \(method)"] + extra
        return message(lines, body: body, contentLength: contentLength, frame: frame, at: t, from: src, to: dst, transport: transport)
    }

    /// The answer to `request`, travelling back the way it came, echoing Via, From, To, Call-ID and CSeq.
    public static func response(to request: CapturedMessage, _ status: Int, _ reason: String = "", extra: [String] = [],
                         frame: Int, at t: Double) -> CapturedMessage {
        let r = request.message
        var lines = ["SIP/2.0 \(status) \(reason.isEmpty ? defaultReason(status) : reason)"]
        for name in ["via", "from", "to", "call-id", "cseq"] {
            for h in r.headers where h.key == name {
                lines.append("\(h.name): \(h.value)\(name == "to" && status > 100 ? ";tag=t1" : "")")
            }
        }
        lines += extra
        return message(lines, frame: frame, at: t, from: request.destination, to: request.source, transport: request.transport)
    }

    public static func defaultReason(_ status: Int) -> String {
        switch status {
        case 100: return "Trying"
        case 200: return "OK"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 415: return "Unsupported Media Type"
        case 488: return "Not Acceptable Here"
        default: return "Status"
        }
    }

    /// A MESSAGE carrying an x-buttons document from the PBX to phone 44.
    public static func buttons(_ body: String, key44 uri: String = "sip:44@10.0.0.44:5060;line=abc", branch: String,
                        cseq: UInt32, frame: Int, at t: Double, toUser: String = "44", contentLength: Int? = -1,
                        to dst: Endpoint = phone44) -> CapturedMessage {
        request("MESSAGE", uri: uri, branch: branch, callID: "m\(cseq)", cseq: cseq, fromUser: toUser, toUser: toUser,
                extra: ["Content-Type: application/x-buttons", "Subject: buttons"], body: body,
                contentLength: contentLength, frame: frame, at: t, to: dst)
    }

    /// A REGISTER from phone 44 with `Supported: buttons` and a contact carrying `line=`.
    public static func register(branch: String, cseq: UInt32, frame: Int, at t: Double, expires: Int = 3600,
                         supported: Bool = true, contact: String = "<sip:44@10.0.0.44:5060;line=abc>",
                         user: String = "44", from src: Endpoint = phone44) -> CapturedMessage {
        var extra = ["Contact: \(contact)", "Expires: \(expires)"]
        if supported { extra.append("Supported: buttons") }
        return request("REGISTER", uri: "sip:pbx.example", branch: branch, callID: "reg-\(user)", cseq: cseq,
                       fromUser: user, toUser: user, extra: extra, frame: frame, at: t, from: src, to: pbx)
    }
}
