import TLSKeys
import Base

/// One TLS connection of a capture, both directions: follows the handshake in the clear (randoms,
/// suite, version, extensions), finds the keys (key log, RSA key, an earlier session), opens the
/// protected records and hands out the application data in order, with the frame that completed
/// each record. Pure and synchronous; bounded (one record and one handshake message per direction).
///
/// Problems are reported, never thrown: a record that does not authenticate is skipped with a
/// diagnostic and its bytes are never handed on.
public struct TLSConnectionDecoder {
    public enum Output {
        /// Decrypted application data (SIP bytes, for us) sent by `from`.
        case applicationData([UInt8], from: TLSPeer, frame: Int)
        /// Application data of `from` was lost here: whatever follows starts a new message.
        case lost(from: TLSPeer, frame: Int, bytes: Int, truncatedByCapture: Bool)
        /// A frame whose record could not be read, and why ("TLS without keys", …).
        case unread(frame: Int, reason: String)
        case diagnostic(Diagnostic)
    }

    /// What the connection is called in messages: "10.0.0.1:40000 → 10.0.0.2:5061".
    public let name: String
    /// The frame of its first TLS bytes: where its summary points.
    public let firstFrame: Int

    public private(set) var clientRandom: [UInt8]?
    public private(set) var cipherSuite: UInt16?
    /// 0x0303 (TLS 1.2), 0x0304 (TLS 1.3); nil before ServerHello.
    public private(set) var version: UInt16?
    public private(set) var recordsDecrypted = 0

    private var serverHello: TLSServerHello?
    private var clientHello: TLSClientHello?
    private var suite: TLSCipherSuite?
    private var directions = [Direction(), Direction()]
    private var master: [UInt8]?
    private var issuedTicket: [UInt8] = []
    private var transcript = TLSTranscript()
    private var sessionHash: [UInt8]?
    private var unreadWithoutKeys = 0
    private var unreadUnsupported = 0
    private var unreadWrongKeys = 0
    private var damaged = 0
    private var handshakeProblem: String?
    private var clearHandshakeRecords = 0

    private struct Direction {
        var records = TLSRecordReader()
        var handshake = TLSHandshakeReader()
        /// Records from here on are protected (1.2: after ChangeCipherSpec; 1.3: after ServerHello).
        var protected = false
        var decryptor: TLSRecordDecryptor?
        var sequence: UInt64 = 0
        /// Records since the last one that opened: the next may have any of these numbers.
        var unsure = 0
        /// TLS 1.3: past this side's Finished, under the application traffic secret.
        var application = false
        var trafficSecret: [UInt8]?
        var handshakeTrials = 0
        var reportedWrongKeys = false
        var reportedDamage = false
        var reportedMalformed = false
    }

    public init(name: String, firstFrame: Int) {
        self.name = name
        self.firstFrame = firstFrame
    }

    /// Bytes held: partial records and handshake messages.
    public var bufferedBytes: Int {
        directions.reduce(0) { $0 + $1.records.bufferedBytes + $1.handshake.bufferedBytes }
    }

    /// Memory held as allocated (buffers by capacity): what the budget for all connections counts.
    public var footprint: Int {
        directions.reduce(0) { $0 + $1.records.footprint + $1.handshake.footprint }
    }

    /// Lets go of everything held, to free memory (the budget for all connections ran out): a
    /// record in progress is lost (its end is skipped when it comes, so the records after it are
    /// read), a handshake message in progress too. Returns the bytes given up.
    public mutating func shed(frame: Int, emit: (Output) -> Void) -> Int {
        var given = 0
        for peer in [TLSPeer.client, .server] {
            let i = peer.rawValue
            given += directions[i].handshake.bufferedBytes
            if directions[i].handshake.bufferedBytes > 0 && !directions[i].protected {
                handshakeProblem = handshakeProblem ?? "a handshake message of it was given up (memory budget)"
            }
            directions[i].handshake.reset()
            let lost = directions[i].records.shed()
            given += lost
            guard lost > 0 else { continue }
            if directions[i].protected {
                directions[i].sequence &+= 1
                emit(.unread(frame: frame, reason: "TLS record given up (memory budget)"))
            }
            emit(.lost(from: peer, frame: frame, bytes: lost, truncatedByCapture: false))
        }
        return given
    }

    /// The lowest frame among bytes held (for output in frame order).
    public var lowestHeldFrame: Int? {
        directions.compactMap(\.records.heldFrame).min()
    }

    public var isTLS13: Bool { version == 0x0304 }

    /// Keys were given but records did not open with them (reported as `tls-wrong-keys`).
    public var hadWrongKeys: Bool {
        unreadWrongKeys > 0 || directions.contains { !$0.application && $0.handshakeTrials > 0 }
    }

    // MARK: - Input

    public mutating func receive(_ bytes: ArraySlice<UInt8>, from peer: TLSPeer, frame: Int,
                                 keys: inout TLSKeyring, emit: (Output) -> Void) {
        var events: [TLSRecordReader.Event] = []
        directions[peer.rawValue].records.append(bytes, frame: frame) { events.append($0) }
        for e in events { handle(e, from: peer, keys: &keys, emit: emit) }
    }

    /// Bytes of `peer`'s stream that will never come.
    public mutating func gap(missing: Int, from peer: TLSPeer, frame: Int, truncatedByCapture: Bool,
                             keys: inout TLSKeyring, emit: (Output) -> Void) {
        var events: [TLSRecordReader.Event] = []
        directions[peer.rawValue].records.gap(missing: missing, frame: frame, truncatedByCapture: truncatedByCapture) { events.append($0) }
        if directions[peer.rawValue].records.hunting {
            // Records may be lost whole: the next one's number is unknown within a window.
            directions[peer.rawValue].unsure += min(64, missing / 22 + 2)
        }
        for e in events { handle(e, from: peer, keys: &keys, emit: emit) }
    }

    private mutating func handle(_ event: TLSRecordReader.Event, from peer: TLSPeer, keys: inout TLSKeyring, emit: (Output) -> Void) {
        switch event {
        case .record(let r):
            record(r, from: peer, keys: &keys, emit: emit)
        case .damaged(let frame, let truncated, let missing):
            damaged += 1
            if directions[peer.rawValue].protected {
                directions[peer.rawValue].sequence &+= 1
                emit(.unread(frame: frame, reason: truncated ? "TLS record cut by the snap length" : "TLS record not captured whole"))
            }
            emit(.lost(from: peer, frame: frame, bytes: missing, truncatedByCapture: truncated))
            if !directions[peer.rawValue].reportedDamage {
                directions[peer.rawValue].reportedDamage = true
                emit(.diagnostic(truncated
                    ? Diagnostic(TLSCode.tlsRecordTruncated, .warning, "frame \(frame): the capture's snap length cut a TLS record from the \(peer) (\(name)): it cannot be decrypted, and a SIP message in it is lost; capture with a larger snap length (tcpdump -s 0)", frame: frame)
                    : Diagnostic(TLSCode.tlsGap, .warning, "frame \(frame): bytes of a TLS record from the \(peer) were never captured (\(name)): it cannot be decrypted", frame: frame)))
            }
        case .malformed(let frame, let header):
            emit(.lost(from: peer, frame: frame, bytes: header.count, truncatedByCapture: false))
            if !directions[peer.rawValue].reportedMalformed {
                directions[peer.rawValue].reportedMalformed = true
                let hex = header.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
                emit(.diagnostic(Diagnostic(TLSCode.tlsMalformedRecord, .error,
                    "frame \(frame): bytes from the \(peer) that are no TLS record header (\(hex)) in \(name); skipped to the next record", frame: frame)))
            }
        case .resynchronized:
            directions[peer.rawValue].reportedMalformed = false
            directions[peer.rawValue].unsure += 2
        }
    }

    private mutating func record(_ r: TLSRecord, from peer: TLSPeer, keys: inout TLSKeyring, emit: (Output) -> Void) {
        let i = peer.rawValue
        if r.type == 20 {
            // ChangeCipherSpec: TLS 1.2 protects what follows; TLS 1.3 sends it only for middleboxes.
            if !isTLS13 && serverHello != nil {
                directions[i].protected = true
                directions[i].sequence = 0
                directions[i].unsure = 0
                directions[i].decryptor = nil
                setUpKeys(peer, keys: &keys)
            }
            return
        }
        let isProtected = directions[i].protected && (!isTLS13 || r.type == 23)
        guard isProtected else {
            switch r.type {
            case 22:
                clearHandshakeRecords += 1
                var messages: [(UInt8, [UInt8], [UInt8])] = []
                directions[i].handshake.append(r.fragment) { type, body, raw in messages.append((type, Array(body), Array(raw))) }
                for (type, body, raw) in messages { clearHandshake(type, body[...], raw: raw[...], from: peer, keys: &keys) }
            case 23:
                // Application data before any key is agreed: the capture missed the handshake.
                unreadWithoutKeys += 1
                emit(.unread(frame: r.frame, reason: "TLS without keys"))
            default:
                break // alerts in the clear, heartbeats
            }
            return
        }
        open(r, from: peer, keys: &keys, emit: emit)
    }

    // MARK: - The handshake in the clear

    private mutating func clearHandshake(_ type: UInt8, _ body: ArraySlice<UInt8>, raw: ArraySlice<UInt8>,
                                         from peer: TLSPeer, keys: inout TLSKeyring) {
        if !isTLS13 { transcript.add(raw) }
        switch (type, peer) {
        case (TLSHandshakeType.clientHello, .client):
            guard let hello = TLSClientHello(body) else { handshakeProblem = "its ClientHello could not be read"; return }
            clientHello = hello
            clientRandom = hello.random
        case (TLSHandshakeType.serverHello, .server):
            guard let hello = TLSServerHello(body) else { handshakeProblem = "its ServerHello could not be read"; return }
            if hello.isHelloRetryRequest { return }
            serverHello = hello
            cipherSuite = hello.cipherSuite
            version = hello.version
            suite = TLSCipherSuite.named(hello.cipherSuite)
            if isTLS13 {
                for p in [TLSPeer.client, .server] {
                    directions[p.rawValue].protected = true
                    directions[p.rawValue].sequence = 0
                    setUpKeys(p, keys: &keys)
                }
            }
        case (TLSHandshakeType.newSessionTicket, .server):
            if let t = TLSHandshakeBodies.ticket(body) {
                issuedTicket = t
                if let master { keys.sessions.remember(t, master: master) }
            }
        case (TLSHandshakeType.clientKeyExchange, .client):
            guard let suite, suite.keyExchange == .rsa, let clientHello, let serverHello else { return }
            let hash = transcript.finish(suite.hash)
            sessionHash = serverHello.extendedMasterSecret ? hash : nil
            guard master == nil, let encrypted = TLSHandshakeBodies.encryptedPremaster(body) else { return }
            for key in keys.rsaKeys() {
                if let premaster = key.premaster(encrypted) {
                    adoptMaster(TLS12KeySchedule.masterSecret(suite.hash, premaster: premaster, clientRandom: clientHello.random,
                                                              serverRandom: serverHello.random, sessionHash: sessionHash), keys: &keys)
                    break
                }
            }
        default:
            break
        }
    }

    private mutating func adoptMaster(_ m: [UInt8], keys: inout TLSKeyring) {
        master = m
        if let sid = serverHello?.sessionID { keys.sessions.remember(sid, master: m) }
        keys.sessions.remember(issuedTicket, master: m)
    }

    // MARK: - Keys

    /// Gives `peer`'s direction its decryptor if the keys are there (looked up again on every
    /// record until found: a Decryption Secrets Block may bring them late).
    private mutating func setUpKeys(_ peer: TLSPeer, keys: inout TLSKeyring) {
        guard let suite, let clientHello, let serverHello, directions[peer.rawValue].decryptor == nil else { return }
        let random = clientHello.random
        if suite.isTLS13 {
            let prefix = peer == .client ? "CLIENT" : "SERVER"
            if directions[peer.rawValue].application {
                guard let secret = directions[peer.rawValue].trafficSecret ?? keys.secrets.secret("\(prefix)_TRAFFIC_SECRET_0", clientRandom: random) else { return }
                directions[peer.rawValue].trafficSecret = secret
                directions[peer.rawValue].decryptor = TLSRecordDecryptor(tls13: suite, secret: secret)
            } else if let secret = keys.secrets.secret("\(prefix)_HANDSHAKE_TRAFFIC_SECRET", clientRandom: random) {
                directions[peer.rawValue].decryptor = TLSRecordDecryptor(tls13: suite, secret: secret)
            }
            return
        }
        guard serverHello.version == 0x0303 else { return }
        if master == nil {
            if let m = keys.secrets.secret("CLIENT_RANDOM", clientRandom: random), m.count == 48 {
                adoptMaster(m, keys: &keys)
            } else if let m = keys.sessions.master(for: clientHello.ticket) ?? (serverHello.sessionID == clientHello.sessionID
                        ? keys.sessions.master(for: clientHello.sessionID) : nil) {
                adoptMaster(m, keys: &keys)
            }
        }
        guard let master else { return }
        let k = TLS12KeySchedule.keys(suite, master: master, clientRandom: random, serverRandom: serverHello.random)
        directions[peer.rawValue].decryptor = TLSRecordDecryptor(tls12: suite, keys: peer == .client ? k.client : k.server,
                                                                 encryptThenMAC: serverHello.encryptThenMAC)
    }

    /// The TLS 1.3 application traffic key of `peer`, if the key log has it.
    private func applicationDecryptor(_ peer: TLSPeer, keys: TLSKeyring) -> (TLSRecordDecryptor, [UInt8])? {
        guard let suite, let random = clientRandom,
              let secret = keys.secrets.secret(peer == .client ? "CLIENT_TRAFFIC_SECRET_0" : "SERVER_TRAFFIC_SECRET_0", clientRandom: random)
        else { return nil }
        return (TLSRecordDecryptor(tls13: suite, secret: secret), secret)
    }

    // MARK: - Protected records

    private mutating func open(_ r: TLSRecord, from peer: TLSPeer, keys: inout TLSKeyring, emit: (Output) -> Void) {
        let i = peer.rawValue
        if directions[i].decryptor == nil { setUpKeys(peer, keys: &keys) }
        guard let decryptor = directions[i].decryptor else {
            // TLS 1.3 with only the application secrets: the handshake records are skipped, the
            // first record that opens under the application key ends the handshake.
            if isTLS13, !directions[i].application, let (app, secret) = applicationDecryptor(peer, keys: keys) {
                directions[i].handshakeTrials += 1
                if let opened = try? app.open(type: r.type, version: r.version, fragment: r.fragment, sequence: 0) {
                    enterApplication(peer, decryptor: app, secret: secret, sequence: 1)
                    deliver(opened, r, from: peer, keys: &keys, emit: emit)
                } else if directions[i].handshakeTrials > Self.handshakeRecordsExpected {
                    wrongKeys(r, from: peer, emit: emit)
                }
                return
            }
            directions[i].sequence &+= 1
            if suite == nil || version.map({ $0 < 0x0303 }) == true {
                unreadUnsupported += 1
                emit(.unread(frame: r.frame, reason: "TLS cipher suite not supported"))
            } else {
                unreadWithoutKeys += 1
                emit(.unread(frame: r.frame, reason: "TLS without keys"))
            }
            emit(.lost(from: peer, frame: r.frame, bytes: r.fragment.count, truncatedByCapture: false))
            return
        }
        let first = directions[i].sequence
        for attempt in 0...UInt64(min(directions[i].unsure, 64)) {
            if let opened = try? decryptor.open(type: r.type, version: r.version, fragment: r.fragment, sequence: first &+ attempt) {
                directions[i].sequence = first &+ attempt &+ 1
                directions[i].unsure = 0
                deliver(opened, r, from: peer, keys: &keys, emit: emit)
                return
            }
        }
        // TLS 1.3: a record under the application key while we still expect handshake keys (the
        // Finished was in a record we could not read).
        if isTLS13, !directions[i].application, let (app, secret) = applicationDecryptor(peer, keys: keys),
           let opened = try? app.open(type: r.type, version: r.version, fragment: r.fragment, sequence: 0) {
            enterApplication(peer, decryptor: app, secret: secret, sequence: 1)
            deliver(opened, r, from: peer, keys: &keys, emit: emit)
            return
        }
        directions[i].unsure += 1
        wrongKeys(r, from: peer, emit: emit)
    }

    /// More encrypted handshake records than a real flight has (EncryptedExtensions, Certificate,
    /// CertificateRequest, CertificateVerify, Finished, each perhaps alone): past these, records
    /// that do not open under the application key are wrong keys, not handshake.
    static let handshakeRecordsExpected = 6

    private mutating func wrongKeys(_ r: TLSRecord, from peer: TLSPeer, emit: (Output) -> Void) {
        let i = peer.rawValue
        unreadWrongKeys += 1
        emit(.unread(frame: r.frame, reason: "TLS with wrong keys"))
        emit(.lost(from: peer, frame: r.frame, bytes: r.fragment.count, truncatedByCapture: false))
        if !directions[i].reportedWrongKeys {
            directions[i].reportedWrongKeys = true
            emit(.diagnostic(Diagnostic(TLSCode.tlsWrongKeys, .error,
                "frame \(r.frame): a TLS record from the \(peer) (\(name)) does not authenticate with the keys given for client random \(Self.hex(clientRandom ?? [])): wrong keys, or bytes that are no record of this connection; skipped, never read as SIP", frame: r.frame)))
        }
    }

    private mutating func enterApplication(_ peer: TLSPeer, decryptor: TLSRecordDecryptor, secret: [UInt8], sequence: UInt64) {
        let i = peer.rawValue
        directions[i].application = true
        directions[i].decryptor = decryptor
        directions[i].trafficSecret = secret
        directions[i].sequence = sequence
        directions[i].unsure = 0
        directions[i].handshake.reset()
    }

    private mutating func deliver(_ opened: (type: UInt8, plaintext: [UInt8]), _ r: TLSRecord, from peer: TLSPeer,
                                  keys: inout TLSKeyring, emit: (Output) -> Void) {
        recordsDecrypted += 1
        switch opened.type {
        case 23:
            if !opened.plaintext.isEmpty { emit(.applicationData(opened.plaintext, from: peer, frame: r.frame)) }
        case 22 where isTLS13:
            var messages: [(UInt8, [UInt8])] = []
            directions[peer.rawValue].handshake.append(opened.plaintext[...]) { type, body, _ in messages.append((type, Array(body))) }
            for (type, _) in messages { protectedHandshake(type, from: peer, keys: keys) }
        default:
            break // TLS 1.2 Finished, alerts
        }
    }

    /// TLS 1.3 handshake messages under protection: Finished ends the handshake keys, KeyUpdate
    /// moves to the next application secret (RFC 8446 §4.6.3).
    private mutating func protectedHandshake(_ type: UInt8, from peer: TLSPeer, keys: TLSKeyring) {
        let i = peer.rawValue
        guard let suite else { return }
        if type == TLSHandshakeType.finished && !directions[i].application {
            if let (app, secret) = applicationDecryptor(peer, keys: keys) {
                enterApplication(peer, decryptor: app, secret: secret, sequence: 0)
            } else {
                directions[i].application = true
                directions[i].decryptor = nil
                directions[i].sequence = 0
            }
        } else if type == TLSHandshakeType.keyUpdate && directions[i].application, let secret = directions[i].trafficSecret {
            let next = TLS13KeySchedule.nextSecret(suite.hash, after: secret)
            directions[i].trafficSecret = next
            directions[i].decryptor = TLSRecordDecryptor(tls13: suite, secret: next)
            directions[i].sequence = 0
            directions[i].unsure = 0
        }
    }

    // MARK: - Summary

    /// What could not be read, said once when the connection ends: the connection, its client
    /// random (the key log line that would unlock it), the suite and the records left unread.
    public func summary(remedy: TLSKeyRemedy = .words) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let f = firstFrame
        let suiteText = cipherSuite.map { TLSCipherSuite.describe($0) } ?? "cipher suite not seen (no ServerHello in the capture)"
        let versionText = isTLS13 ? "TLS 1.3" : version == 0x0303 ? "TLS 1.2" : version.map { "TLS version 0x\(String($0, radix: 16))" } ?? "TLS"
        if unreadUnsupported > 0 {
            let why = version.map { $0 < 0x0303 } == true ? "\(versionText), which ButtonScope does not decrypt (it reads TLS 1.2 and 1.3)"
                                                          : "\(suiteText), which ButtonScope does not decrypt"
            out.append(Diagnostic(TLSCode.tlsUnsupportedCipher, .warning,
                "frame \(f): TLS connection \(name) uses \(why): \(unreadUnsupported) records left unread", frame: f))
        }
        for peer in [TLSPeer.client, .server] {
            let d = directions[peer.rawValue]
            // TLS 1.3 with only application secrets, none of which opened a record.
            if !d.application, d.handshakeTrials > 0, !d.reportedWrongKeys {
                out.append(Diagnostic(TLSCode.tlsWrongKeys, .error,
                    "frame \(f): none of the \(d.handshakeTrials) encrypted records from the \(peer) of TLS connection \(name) opens with the \(peer == .client ? "CLIENT" : "SERVER")_TRAFFIC_SECRET_0 given for client random \(Self.hex(clientRandom ?? [])): wrong keys; nothing of it was read as SIP", frame: f))
            }
        }
        if unreadWithoutKeys > 0 {
            let text: String
            if clientHello == nil && clearHandshakeRecords > 0 {
                text = "frame \(f): TLS connection \(name): its handshake could not be read (no ClientHello), so its client random is unknown and no key log can unlock it: \(unreadWithoutKeys) records left unread (its messages cannot be read from the capture; \(remedy.keyLog) needs the handshake)"
            } else if clientHello == nil {
                text = "frame \(f): TLS connection \(name): the capture began inside it (no handshake), so its client random is unknown and no key log can unlock it: \(unreadWithoutKeys) records left unread (its messages cannot be read from the capture; \(remedy.keyLog) needs the handshake)"
            } else if isTLS13 {
                text = "frame \(f): \(versionText) connection \(name), \(suiteText): \(unreadWithoutKeys) records left unread, no keys for client random \(Self.hex(clientRandom ?? [])): a key log with its CLIENT_TRAFFIC_SECRET_0 and SERVER_TRAFFIC_SECRET_0 lines unlocks it (\(remedy.keyLog))"
            } else {
                let rsa = suite?.keyExchange == .rsa ? "; or the server's RSA private key (\(remedy.serverKey))" : ""
                text = "frame \(f): \(versionText) connection \(name), \(suiteText): \(unreadWithoutKeys) records left unread, no keys for client random \(Self.hex(clientRandom ?? [])): the key log line 'CLIENT_RANDOM \(Self.hex(clientRandom ?? [])) <master secret>' unlocks it (\(remedy.keyLog))\(rsa)"
            }
            out.append(Diagnostic(TLSCode.tlsUnreadable, .warning, text + (handshakeProblem.map { "; \($0)" } ?? ""), frame: f))
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var s = ""
        s.reserveCapacity(bytes.count * 2)
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return s
    }
}
