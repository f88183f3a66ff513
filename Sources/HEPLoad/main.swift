#if canImport(Glibc)
import Glibc
#endif

// hep-load: bounded bursts of HEP3 (MESSAGE, 200) pairs for `buttonscope watch --hep`, on loopback.
// 100 capture agents (node IDs 3001…, each its own UDP socket) mirror x-buttons MESSAGEs from their
// PBX to 5,000 phones and the phones' 200s, at a given packet rate for a given time. Every message is
// unique (the round number is in its Call-ID, branch and CSeq), so a collector that loses nothing
// counts exactly what was sent. `--plain` sends the SIP itself (for `watch -i lo` next to it).
// Prints one JSON line: packets sent, seconds, achieved rate, send errors.

struct Options {
    var host = "127.0.23.1", port: UInt16 = 9060, rate = 50_000, seconds = 5.0, agents = 100, phones = 5000, plain = false
}

func parse() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    func fail(_ s: String) -> Never {
        // write(2), not the C `stderr` global (shared mutable state to Swift 6).
        let text = "hep-load: \(s)\nusage: hep-load --to 127.0.23.1:9060 [--rate N] [--seconds S] [--agents N] [--phones N] [--plain]\n"
        _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        exit(2)
    }
    while let a = args.next() {
        switch a {
        case "--to":
            guard let v = args.next(), let colon = v.lastIndex(of: ":"), let p = UInt16(v[v.index(after: colon)...]) else { fail("--to ADDR:PORT") }
            o.host = String(v[..<colon]); o.port = p
        case "--rate": guard let v = args.next().flatMap({ Int($0) }), v > 0 else { fail("--rate N") }; o.rate = v
        case "--seconds": guard let v = args.next().flatMap({ Double($0) }), v > 0, v <= 600 else { fail("--seconds S (at most 600)") }; o.seconds = v
        case "--agents": guard let v = args.next().flatMap({ Int($0) }), v > 0, v <= 250 else { fail("--agents N (1-250)") }; o.agents = v
        case "--phones": guard let v = args.next().flatMap({ Int($0) }), v > 0 else { fail("--phones N") }; o.phones = v
        case "--plain": o.plain = true
        case "-h", "--help": fail("help")
        default: fail("unknown argument \(a)")
        }
    }
    guard o.host.hasPrefix("127.") else { fail("loopback only (127.x.x.x)") }
    return o
}

func be16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
func be32(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xff), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
func chunk(_ type: Int, _ data: [UInt8]) -> [UInt8] { be16(0) + be16(type) + be16(6 + data.count) + data }

/// A packet with the places to patch per round: the 8 round digits, and the HEP seconds.
struct Template { var bytes: [UInt8]; var digits: [Int]; var secondsAt: Int?; var socket: Int }

let placeholder = "RRRRRRRR"

func template(_ sip: String, agent: Int, node: Int, src: [UInt8], dst: [UInt8], sport: Int, dport: Int, micros: Int, plain: Bool) -> Template {
    let payload = Array(sip.utf8)
    var bytes: [UInt8]
    var secondsAt: Int?
    if plain {
        bytes = payload
    } else {
        var body = chunk(1, [2]) + chunk(2, [17]) + chunk(3, src) + chunk(4, dst) + chunk(7, be16(sport)) + chunk(8, be16(dport))
        secondsAt = 6 + body.count + 6
        body += chunk(9, be32(0)) + chunk(10, be32(micros)) + chunk(11, [1]) + chunk(12, be32(node)) + chunk(15, payload)
        bytes = Array("HEP3".utf8) + be16(6 + body.count) + body
    }
    var digits: [Int] = []
    let p = Array(placeholder.utf8)
    var i = 0
    while i + p.count <= bytes.count {
        if bytes[i] == p[0] && Array(bytes[i..<(i + p.count)]) == p { digits.append(i); i += p.count } else { i += 1 }
    }
    return Template(bytes: bytes, digits: digits, secondsAt: secondsAt, socket: agent)
}

let o = parse()
let perAgent = max(1, o.phones / o.agents)
var templates: [Template] = []
for agent in 0..<o.agents {
    for j in 0..<perAgent {
        let phone = 10000 + agent * perAgent + j
        let pbx = "10.1.\(agent).1", host = "10.2.\(agent).\(phone % 250 + 1)"
        let body = "k=3\r\nc=on\r\nl=Line \(phone)\r\n"
        let m = "MESSAGE sip:\(phone)@\(host):5062 SIP/2.0\r\nVia: SIP/2.0/UDP \(pbx):5060;branch=z9hG4bK-\(placeholder)-\(phone)\r\n"
            + "From: <sip:pbx@\(pbx)>;tag=p\(placeholder)\r\nTo: <sip:\(phone)@\(host)>\r\nCall-ID: load-\(placeholder)-\(phone)\r\n"
            + "CSeq: \(placeholder) MESSAGE\r\nMax-Forwards: 70\r\nContent-Type: application/x-buttons\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        let r = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP \(pbx):5060;branch=z9hG4bK-\(placeholder)-\(phone)\r\n"
            + "From: <sip:pbx@\(pbx)>;tag=p\(placeholder)\r\nTo: <sip:\(phone)@\(host)>;tag=a\(phone)\r\nCall-ID: load-\(placeholder)-\(phone)\r\n"
            + "CSeq: \(placeholder) MESSAGE\r\nContent-Length: 0\r\n\r\n"
        let a: [UInt8] = [10, 1, UInt8(agent), 1], b: [UInt8] = [10, 2, UInt8(agent), UInt8(phone % 250 + 1)]
        let micros = (agent * perAgent + j) * 100 % 1_000_000
        templates.append(template(m, agent: agent, node: 3001 + agent, src: a, dst: b, sport: 5060, dport: 5062, micros: micros, plain: o.plain))
        templates.append(template(r, agent: agent, node: 3001 + agent, src: b, dst: a, sport: 5062, dport: 5060, micros: micros + 50, plain: o.plain))
    }
}

// One socket per agent, bound to the same loopback address (ephemeral ports tell them apart).
var dest = sockaddr_in()
dest.sin_family = sa_family_t(AF_INET)
dest.sin_port = o.port.bigEndian
inet_pton(AF_INET, o.host, &dest.sin_addr)
var sockets: [Int32] = []
for _ in 0..<o.agents {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    var local = sockaddr_in()
    local.sin_family = sa_family_t(AF_INET)
    inet_pton(AF_INET, o.host, &local.sin_addr)
    _ = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    var size: Int32 = 4 << 20
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    sockets.append(fd)
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let total = Int(Double(o.rate) * o.seconds)
let slice = 0.001
let perSlice = max(1, Int(Double(o.rate) * slice))
var sent = 0, errors = 0, index = 0, round = 1
let base = Int(time(nil))
var packet = [UInt8](repeating: 0, count: 2048)
let start = now()
func digits(_ n: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0x30, count: 8)
    var v = n, i = 7
    while i >= 0 { out[i] = UInt8(0x30 + v % 10); v /= 10; i -= 1 }
    return out
}
var roundDigits = digits(round)
while sent < total {
    let target = start + Double(sent / perSlice) * slice
    let t = now()
    if t < target { usleep(UInt32((target - t) * 1e6)) }
    for _ in 0..<min(perSlice, total - sent) {
        if index == templates.count { index = 0; round += 1; roundDigits = digits(round) }
        let tpl = templates[index]
        index += 1
        let n = tpl.bytes.count
        tpl.bytes.withUnsafeBufferPointer { src in
            packet.withUnsafeMutableBufferPointer { dst in
                dst.baseAddress!.update(from: src.baseAddress!, count: n)
                for d in tpl.digits { for k in 0..<8 { dst[d + k] = roundDigits[k] } }
                if let s = tpl.secondsAt {
                    let sec = base + round
                    dst[s] = UInt8((sec >> 24) & 0xff); dst[s + 1] = UInt8((sec >> 16) & 0xff)
                    dst[s + 2] = UInt8((sec >> 8) & 0xff); dst[s + 3] = UInt8(sec & 0xff)
                }
            }
        }
        let r = packet.withUnsafeBytes { p in
            withUnsafePointer(to: &dest) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(sockets[tpl.socket], p.baseAddress, n, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            } }
        }
        if r < 0 { errors += 1 }
        sent += 1
    }
}
let took = now() - start
print("{\"packets_sent\": \(sent), \"send_errors\": \(errors), \"seconds\": \(Double(Int(took * 1000)) / 1000), \"rate\": \(Int(Double(sent) / took)), \"agents\": \(o.agents), \"phones\": \(perAgent * o.agents), \"hep\": \(!o.plain)}")
