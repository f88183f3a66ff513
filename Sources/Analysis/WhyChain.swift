import Buttons
import Capture
import Base
import SIP

/// Walks the chain for the last change of one key of one phone and names the first broken link.
/// Every link is checked (so the report shows the whole chain); the verdict is the first failure.
extension WhyFacts {
    /// The chain for `key` of `user`, from the documents up to `until`.
    public func why(user: String, key: String) -> WhyReport {
        var read = DocumentCache()
        return why(user: user, key: key, read: &read)
    }

    /// The chain for every key `user` got documents for, in first-seen order: the documents an
    /// initial state carried for all of them are read once.
    public func whyEveryKey(user: String) -> [WhyReport] {
        var read = DocumentCache()
        return keys(user: user).map { why(user: user, key: $0, read: &read) }
    }

    func why(user: String, key: String, read: inout DocumentCache) -> WhyReport {
        let h = history(user: user, key: key)
        guard let last = h.last, let lastDocument = last.document(&read) else {
            return noDocument(user: user, key: key, at: until, later: h.firstAfter)
        }

        // The chain is about the last document: the spec clears a lamp by leaving c= out (its
        // walk-through sends `k=3 l=42`), so a c=-less update after a lit one is the PBX's
        // intent, said as a note, never a broken link.
        let target = last
        let doc = lastDocument
        var notes: [String] = []
        if let previous = h.previousClean, let previousDocument = previous.document(&read), Self.overwrites(lastDocument, previousDocument) {
            notes.append(LightOmission.note(doc, after: previousDocument))
        }

        var chain: [WhyLink] = [WhyLink(check: .documentSent, verdict: .noDocument, ok: true, frame: doc.frame,
                                        detail: "a document for key \(key) went to \(user) in frame \(doc.frame) at \(doc.time.clockString)"
                                            + (h.count > 1 ? " (the last change of \(h.count) documents for this key)" : ""))]
        let status = resolved(target.registration, user: user)
        chain.append(registrationLink(status, user: user, doc: doc))
        chain.append(destinationLink(status, user: user, doc: doc))
        chain.append(contentsOf: answerLinks(doc))
        chain.append(documentLink(doc))
        chain.append(overwriteLink(doc, later: h.firstAfter?.frame))

        var report = WhyReport(user: user, key: key, chain: chain, nextStep: "", document: doc, notes: notes)
        report.nextStep = nextStep(report, status: status)
        return report
    }

    /// Whether a trailing c=-less update turned off a lamp the document before it lit, and
    /// nothing else: the last description has no `c=`, it was accepted and is valid, and the
    /// only thing it changed against the last accepted, valid one before it is the light (which
    /// that one had on). Valid per the spec, and worth a note: the PBX may have forgotten c=.
    static func overwrites(_ last: SentKeyDocument, _ previous: SentKeyDocument) -> Bool {
        guard !last.setsLight, isClean(last), isClean(previous), previous.state.light != KeyState.defaultLight else { return false }
        return last.state.changes(from: previous.state) == ["light"]
    }

    // MARK: links

    func noDocument(user: String, key: String, at: Timestamp?, later: (frame: Int, time: Timestamp)?) -> WhyReport {
        let facts = phones[user]
        var detail = "no x-buttons document for key \(key) went to \(user)"
        detail += at.map { " before \($0.clockString)" } ?? " in the capture"
        var frame: Int?
        if let lastMessage = facts?.lastDocument {
            frame = lastMessage.frame
            let keys = self.keys(user: user)
            detail += "; the last document for \(user) was frame \(lastMessage.frame) at \(lastMessage.time.clockString)"
            detail += keys.isEmpty ? " (it described no key)" : ", and \(user) got documents for key\(keys.count == 1 ? "" : "s") \(keys.joined(separator: ", ")) only"
        } else if let first = registrations.first(of: user) {
            detail += "; \(user) registered (frame \(first.frame)) but got no x-buttons document at all"
        } else {
            detail += "; \(user) got no x-buttons document at all and no REGISTER from \(user) was captured either (is the user right?)"
        }
        if let later { detail += "; the first one comes later, in frame \(later.frame) at \(later.time.clockString)" }
        let link = WhyLink(check: .documentSent, verdict: .noDocument, ok: false, frame: frame, detail: detail)
        let next = "The PBX never sent key \(key)'s state: check that key \(key) of \(user) is configured on the PBX "
            + "(a BLF/x-buttons key bound to what it should show). With FreeSWITCH mod_snom: "
            + "snom_bind_key \(key) on <label> \(user) <host> <profile> sends one by hand."
        return WhyReport(user: user, key: key, chain: [link], nextStep: next, document: nil)
    }

    func registrationLink(_ status: RegistrationStatus, user: String, doc: SentKeyDocument) -> WhyLink {
        func link(_ ok: Bool, _ frame: Int?, _ detail: String) -> WhyLink {
            WhyLink(check: .registration, verdict: .registration, ok: ok, frame: frame, detail: detail)
        }
        switch status {
        case .neverSeen:
            let began = captureStart.map { " (it begins at \($0.clockString))" } ?? ""
            return link(true, nil, "no REGISTER from \(user) in the capture\(began): the phone probably registered before the capture began, so this link cannot be checked here")
        case .notYet(let first):
            return link(true, nil, "the document went out before the first REGISTER from \(user) in the capture (frame \(first.frame)): the phone probably registered before the capture began")
        case .failed(let r):
            let how = r.status.map { "was answered \($0) \(r.exchange.finalResponse?.reason ?? "")" } ?? "got no answer"
            return link(false, r.frame, "\(user)'s last REGISTER before the document (frame \(r.frame)) \(how) and no REGISTER of it succeeded: the phone was not registered")
        case .deregistered(let r):
            return link(false, r.frame, "\(user) de-registered in frame \(r.frame) at \(r.start.clockString) (expires 0), before the document at \(doc.time.clockString)")
        case .expired(let r, let end):
            let secs = doc.time.seconds(since: end)
            let source = r.contacts.first.map { " (expires=\($0.expires) s from the \($0.expiresSource))" } ?? ""
            return link(false, r.exchange.finalResponse?.frame ?? r.frame,
                        "\(user)'s registration (REGISTER frame \(r.frame), answered in frame \(r.exchange.finalResponse?.frame ?? r.frame))\(source) ran out at \(end.clockString), \(DurationText.rounded(secs)) before the document was sent: the phone was no longer registered")
        case .live(let r):
            let contact = r.contacts.first.map { " contact \($0.uri.raw), expires \($0.expires) s" } ?? ""
            if !r.supportedButtons {
                return link(false, r.frame, "\(user)'s REGISTER (frame \(r.frame)) has no \"Supported: buttons\": the phone did not ask for x-buttons documents, so it may ignore them"
                            + (r.requireButtons ? "" : " (and the 200 OK has no Require: buttons either)"))
            }
            var detail = "registered in frame \(r.frame) with Supported: buttons"
            if let ok = r.exchange.finalResponse {
                detail += r.requireButtons ? ", answered in frame \(ok.frame) with \(r.requireSpelling ?? "Require"): buttons"
                    : ", answered in frame \(ok.frame) without Require: buttons (a strict phone may not expect documents)"
            }
            return link(true, r.frame, detail + ";\(contact), live when the document was sent")
        }
    }

    func destinationLink(_ status: RegistrationStatus, user: String, doc: SentKeyDocument) -> WhyLink {
        let request = doc.exchange.request
        let uri = request.message.requestSIPURI
        func link(_ ok: Bool, _ detail: String) -> WhyLink {
            WhyLink(check: .destination, verdict: .wrongDestination, ok: ok, frame: request.frame, detail: detail)
        }
        if let ruser = uri?.user, ruser != user {
            return link(false, "the Request-URI \(request.message.requestURI ?? "") names user \(ruser), not \(user): a Snom accepts a MESSAGE only for one of its identities and answers 404 Not Found otherwise")
        }
        guard case .live(let r) = status, !r.contacts.isEmpty else {
            return link(true, "sent to \(request.destination) (Request-URI \(request.message.requestURI ?? "?")); no live registration to compare it with")
        }
        let dst = request.destination
        let reachedContact = r.contacts.first { c in
            c.uri.host == dst.address.description && (c.uri.port ?? 5060) == Int(dst.port)
        }
        let reachedSource = r.exchange.request.source == dst
        guard let contact = reachedContact ?? (reachedSource ? r.contacts.first : nil) else {
            let where_ = r.contacts.map { c in "\(c.uri.host):\(c.uri.port ?? 5060)" }.joined(separator: ", ")
            return link(false, "sent to \(dst), but \(user)'s live registration (frame \(r.frame)) is at \(where_)"
                        + " (REGISTER came from \(r.exchange.request.source)): whatever answered there is not the phone")
        }
        let sentLine = uri?.parameters["line"]
        if let line = contact.line, sentLine != line {
            return link(false, sentLine == nil
                        ? "the Request-URI \(request.message.requestURI ?? "") lacks the registered line=\(line): the phone uses it to pick the identity (the registered contact is \(contact.uri.raw))"
                        : "the Request-URI carries line=\(sentLine ?? "") but the phone registered line=\(line) (frame \(r.frame))")
        }
        return link(true, "sent to the registered contact \(contact.uri.raw) at \(dst)")
    }

    func answerLinks(_ doc: SentKeyDocument) -> [WhyLink] {
        let e = doc.exchange
        let frame = e.request.frame
        var answered: WhyLink
        var accepted: WhyLink
        switch e.outcome {
        case .accepted, .rejected:
            let r = e.finalResponse
            let latency = e.latencyMs.map { " after \(DurationText.milliseconds($0))" } ?? ""
            let retrans = e.retransmissions.isEmpty ? "" : " (the request went \(e.retransmissions.count + 1) times)"
            answered = WhyLink(check: .answered, verdict: .unanswered, ok: true, frame: r?.frame,
                               detail: "answered \(r?.status ?? 0) \(r?.reason ?? "") in frame \(r?.frame ?? 0)\(latency)\(retrans)")
            if e.outcome == .accepted {
                accepted = WhyLink(check: .accepted, verdict: .rejected, ok: true, frame: r?.frame,
                                   detail: "the phone said \(r?.status ?? 200) \(r?.reason ?? ""): it took the MESSAGE")
            } else {
                accepted = WhyLink(check: .accepted, verdict: .rejected, ok: false, frame: r?.frame,
                                   detail: "refused with \(r?.status ?? 0) \(r?.reason ?? "") in frame \(r?.frame ?? 0): \(SnomAnswer.meaning(r?.status ?? 0))")
            }
        case .unanswered, .unknown:
            var detail = "no answer to frame \(frame)"
            if !e.retransmissions.isEmpty {
                let timings = e.retransmissionTimings
                let gaps = timings.map { DurationText.rounded($0.interval) }.joined(separator: ", ")
                detail += "; sent \(e.retransmissions.count + 1) times (retransmissions in frames \(e.retransmissions.map { String($0.frame) }.joined(separator: ", ")), \(gaps) apart"
                detail += timings.allSatisfy(\.followsTimerE) ? ", as Timer E schedules)" : "; not Timer E's 0.5, 1, 2, 4 s schedule)"
            }
            if let icmp = e.unreachable.first {
                detail += "; ICMP \(icmp.reason) from \(icmp.reporter) in frame \(icmp.frame)"
                    + (e.unreachable.count > 1 ? " (and \(e.unreachable.count - 1) more)" : "")
                    + ": nothing listens on \(icmp.originalDestination), the phone is off or its SIP port changed"
            }
            if e.outcome == .unknown, let end = captureEnd {
                detail += "; the capture ends \(DurationText.rounded(end.seconds(since: e.request.time))) later, before Timer F (32 s): an answer may simply not be in it (a one-sided capture?)"
            } else if e.retransmissions.isEmpty && e.unreachable.isEmpty {
                detail += "; Timer F (32 s) ran out with no answer"
            }
            answered = WhyLink(check: .answered, verdict: .unanswered, ok: false, frame: e.unreachable.first?.frame ?? e.retransmissions.last?.frame ?? frame, detail: detail)
            accepted = WhyLink(check: .accepted, verdict: .rejected, ok: false, frame: nil, detail: "no answer, so no acceptance either")
        }
        return [answered, accepted]
    }

    func documentLink(_ doc: SentKeyDocument) -> WhyLink {
        let frame = doc.frame
        var problems: [String] = []
        if doc.beyondContentLength {
            problems.append("the description of key \(doc.key) lies past the declared Content-Length: the phone never read it")
        } else if doc.cutByContentLength {
            problems.append("Content-Length cut the body: the phone read only \(QuotedBytes.show(doc.exchange.request.effectiveBody)) of \(doc.exchange.request.message.body.count) bytes")
        }
        if doc.readKey == nil && !doc.beyondContentLength {
            problems.append("the description does not begin with k=, so the phone does not know it is for key \(doc.key)")
        } else if let read = doc.readKey, read != doc.key {
            problems.append("the phone reads a key named \"\(read)\", not \(doc.key)")
        }
        let codes = doc.errors
        for d in codes.prefix(3) { problems.append("\(d.code): \(d.message)") }
        if problems.isEmpty {
            let warnings = doc.findings.filter { $0.severity == .warning }.map(\.code)
            let state = doc.state.fields.map { "\($0.name) \($0.value)" }.joined(separator: ", ")
            return WhyLink(check: .documentValid, verdict: .brokenDocument, ok: true, frame: frame,
                           detail: "the document is valid for key \(doc.key): \(state.isEmpty ? "all defaults" : state)"
                               + (warnings.isEmpty ? "" : " (warnings: \(warnings.joined(separator: ", ")))"))
        }
        return WhyLink(check: .documentValid, verdict: .brokenDocument, ok: false, frame: frame,
                       detail: problems.joined(separator: "; "))
    }

    func overwriteLink(_ doc: SentKeyDocument, later afterAt: Int?) -> WhyLink {
        var detail = "no later document for key \(doc.key) replaced it"
        if let afterAt { detail += " before the time asked about (the next one is frame \(afterAt))" }
        return WhyLink(check: .notOverwritten, verdict: .overwritten, ok: true, frame: nil, detail: detail)
    }

    // MARK: next step

    func nextStep(_ report: WhyReport, status: RegistrationStatus) -> String {
        let user = report.user, key = report.key
        guard let broken = report.firstBroken else {
            let state = report.document.map { d in d.state.fields.map { "\($0.name) \($0.value)" }.joined(separator: ", ") } ?? ""
            // Built in one reserved string: `summary` asks this of every key in the capture.
            var text = ""
            text.reserveCapacity(720)
            text += "The phone accepted a valid document, so key "
            text += key
            text += " should show "
            text += state.isEmpty ? "its defaults" : state
            text += ". If it does not, the rest is on the phone"
            FirmwareAdvice.keySetting(key: key, device: devices.device(of: user), user: user, into: &text)
            text += " Check \"Support broken Registrar\" is on and \"Filter packets from registrar\" is off (reboot after changing them)."
            return text
        }
        switch broken.verdict {
        case .noDocument, .accepted:
            return report.nextStep
        case .registration:
            switch status {
            case .live:
                return "Make \(user) register with \"Supported: buttons\" (a Snom sends it when x-buttons support is enabled in its settings), "
                    + "or stop the PBX from sending documents to a phone that did not ask for them."
            case .expired, .deregistered:
                return "The registration had ended: make the PBX send documents only to live registrations, and check why \(user) did not re-register in time (network, expiry too short)."
            default:
                return "Find out why \(user)'s REGISTER failed (credentials, the registrar's answer in the frame named) and fix that first."
            }
        case .wrongDestination:
            return "Make the PBX send key documents to the contact \(user) registered, with its line= and its own user in the Request-URI (mod_snom sends one MESSAGE per registered contact)."
        case .unanswered:
            if report.document?.exchange.unreachable.isEmpty == false {
                return "The phone's address answered ICMP unreachable: check the phone is up and still listening where it registered (IP, port); a re-register refreshes the contact."
            }
            return "Check the phone receives the MESSAGE at all (firewall, NAT), and on the Snom enable \"Support broken Registrar\" and disable \"Filter packets from registrar\": otherwise it drops the MESSAGE without an answer. Reboot after changing them."
        case .rejected:
            return "Fix what the phone refused: \(SnomAnswer.meaning(report.document?.exchange.finalStatus ?? 0))"
        case .brokenDocument:
            return "Fix the document the PBX sends: one entry a line, k= first, an empty line between keys, a valid c= value, and a Content-Length that counts every body byte (CR and LF included). `buttonscope lint` lists every fault."
        case .overwritten:
            return report.nextStep
        }
    }

}

/// Body bytes shown with their line endings visible: `"k=3\r\nc"`.
enum QuotedBytes {
    static func show(_ bytes: [UInt8]) -> String {
        var out = "\""
        for b in bytes.prefix(60) {
            switch b {
            case 0x0d: out += "\\r"
            case 0x0a: out += "\\n"
            case 0x09: out += "\\t"
            case 0x22: out += "\\\""
            case 0x20...0x7e: out.unicodeScalars.append(UnicodeScalar(b))
            default: out += "\\x" + String(b, radix: 16)
            }
        }
        return out + (bytes.count > 60 ? "…\"" : "\"")
    }
}
