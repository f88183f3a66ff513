import SIP
import Capture
import Base

/// TCP directions that carry SIP inside another protocol (WebSocket after an HTTP Upgrade, HEP3
/// back to back), taken over from the stream framer once it recognised them.
public struct CarriedStreams {
    private enum Stream {
        case webSocket(WebSocketStream)
        case hep(HEPStream)
    }
    private var streams: [TCPFlowKey: Stream] = [:]

    public init() {}

    public var bufferedBytes: Int {
        streams.values.reduce(0) { total, s in
            switch s { case .webSocket(let w): total + w.bufferedBytes; case .hep(let h): total + h.bufferedBytes }
        }
    }

    public var lowestHeldFrame: Int? {
        streams.values.compactMap { s -> Int? in
            switch s { case .webSocket(let w): w.lowestHeldFrame; case .hep(let h): h.lowestHeldFrame }
        }.min()
    }

    /// The framer found a carrier: follow the direction from here with the bytes it had left.
    public mutating func adopt(_ key: TCPFlowKey, _ carrier: StreamCarrierSniffer.Carrier, leftover: ArraySlice<UInt8>,
                               frame: Int, time: Timestamp, emit: (CarrierOutput) -> Void) {
        switch carrier {
        case .webSocket: streams[key] = .webSocket(WebSocketStream())
        case .hep: streams[key] = .hep(HEPStream())
        }
        if !leftover.isEmpty { _ = handle(key, .data(leftover, frame: frame), time: time, emit: emit) }
    }

    /// Routes a stream event to its carrier; false when the direction is not carried (the framer's).
    public mutating func handle(_ key: TCPFlowKey, _ event: TCPStreamEvent, time: Timestamp, emit: (CarrierOutput) -> Void) -> Bool {
        guard let stream = streams[key] else { return false }
        switch stream {
        case .webSocket(var ws):
            let place = "WebSocket \(key)"
            let out: (WebSocketStream.Output) -> Void = { o in
                switch o {
                case .problem(let p, let f): emit(.problem(p, frame: f, at: place))
                case .message(let bytes, let frame, let frames, let t):
                    if let m = SIPUnitReader.read(bytes[...], transport: .ws, frame: frame, frames: frames, time: t,
                                                  source: key.source, destination: key.destination) {
                        emit(.message(m))
                    } else {
                        emit(.unread("WebSocket message, not SIP", frame: frame))
                    }
                }
            }
            switch event {
            case .data(let bytes, let frame): ws.append(bytes, frame: frame, time: time, emit: out)
            case .gap(let missing, let frame, _): ws.gap(missing: missing, frame: frame, emit: out)
            case .closed:
                ws.close(emit: out)
                streams[key] = nil
                return true
            }
            streams[key] = .webSocket(ws)
        case .hep(var hep):
            let out: (HEPStream.Output) -> Void = { o in
                switch o {
                case .problem(let p, let f): emit(.problem(p, frame: f, at: "HEP over TCP \(key)"))
                case .packet(let p, let frame, let frames, let t):
                    HEPUnitReader.read(p, frame: frame, frames: frames, time: t, outerSource: key.source,
                                       outerDestination: key.destination, emit: emit)
                }
            }
            switch event {
            case .data(let bytes, let frame): hep.append(bytes, frame: frame, time: time, emit: out)
            case .gap(let missing, let frame, _): hep.gap(missing: missing, frame: frame, emit: out)
            case .closed:
                hep.close(emit: out)
                streams[key] = nil
                return true
            }
            streams[key] = .hep(hep)
        }
        return true
    }
}
