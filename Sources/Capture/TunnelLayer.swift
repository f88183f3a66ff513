import Base

/// One tunnel a packet came through: its kind, its identifier (VNI, key, TEID, label, session)
/// and the outer addresses, so two tunnels carrying the same private addresses stay apart.
///
/// Equality ignores the direction of the outer addresses: the answer to a request comes back
/// through the same tunnel with them swapped, and must meet the request's flow.
public struct TunnelLayer: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: UInt8, Sendable {
        case pppoe, mpls, gre, erspan1, erspan2, erspan3, vxlan, geneve, ipInIP, ipv6InIP, gtpu

        /// The word people use for it, as `messages` prints it.
        public var name: String {
            switch self {
            case .pppoe: "pppoe"
            case .mpls: "mpls"
            case .gre: "gre"
            case .erspan1: "erspan type i"
            case .erspan2: "erspan type ii"
            case .erspan3: "erspan type iii"
            case .vxlan: "vxlan"
            case .geneve: "geneve"
            case .ipInIP: "ip-in-ip"
            case .ipv6InIP: "ipv6-in-ip"
            case .gtpu: "gtp-u"
            }
        }

        /// What the identifier is called, when the layer has one.
        var idName: String {
            switch self {
            case .pppoe: "session"
            case .mpls: "label"
            case .gre: "key"
            case .erspan1, .erspan2, .erspan3: "session"
            case .vxlan, .geneve: "vni"
            case .gtpu: "teid"
            case .ipInIP, .ipv6InIP: ""
            }
        }
    }

    public var kind: Kind
    /// VNI, GRE key, TEID, bottom MPLS label, PPPoE or ERSPAN session; nil when the layer has none.
    public var id: UInt32?
    /// Outer addresses as this packet had them (nil for PPPoE and MPLS, which have none).
    public var source: IPAddress?
    public var destination: IPAddress?

    public init(kind: Kind, id: UInt32? = nil, source: IPAddress? = nil, destination: IPAddress? = nil) {
        self.kind = kind
        self.id = id
        self.source = source
        self.destination = destination
    }

    /// The outer addresses in a fixed order, whichever way the packet went.
    private var ends: (IPAddress?, IPAddress?) {
        guard let s = source, let d = destination else { return (source, destination) }
        return d.precedes(s) ? (d, s) : (s, d)
    }

    public static func == (a: TunnelLayer, b: TunnelLayer) -> Bool {
        a.kind == b.kind && a.id == b.id && a.ends == b.ends
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(id)
        let (x, y) = ends
        hasher.combine(x)
        hasher.combine(y)
    }

    /// "vxlan vni 42 192.0.2.1→192.0.2.2", "mpls label 100", "ip-in-ip 10.0.0.1→10.0.0.2".
    public var description: String {
        var parts = [kind.name]
        if let id { parts.append(kind.idName.isEmpty ? String(id) : "\(kind.idName) \(id)") }
        if let s = source, let d = destination { parts.append("\(s)→\(d)") }
        return parts.joined(separator: " ")
    }
}

/// The tunnels a packet came through, outermost first. Plain packets have none (`nil` in the
/// datagram), so untunnelled flows hash and compare exactly as before.
public struct TunnelPath: Hashable, Sendable, CustomStringConvertible {
    /// Deeper nesting than this is reported (`tunnel-too-deep`) and the frame left unread.
    public static let maxDepth = 8

    public private(set) var layers: [TunnelLayer]

    public init(_ layers: [TunnelLayer]) { self.layers = layers }

    /// This path with one more layer inside it.
    public func entering(_ layer: TunnelLayer) -> TunnelPath { TunnelPath(layers + [layer]) }

    public var depth: Int { layers.count }

    /// Outermost first: "gre key 5 10.0.0.1→10.0.0.2 / vxlan vni 42 192.0.2.1→192.0.2.2".
    public var description: String { layers.map(\.description).joined(separator: " / ") }
}

extension Optional where Wrapped == TunnelPath {
    /// The path after one more layer, starting a path for a plain packet.
    public func entering(_ layer: TunnelLayer) -> TunnelPath {
        self?.entering(layer) ?? TunnelPath([layer])
    }
}
