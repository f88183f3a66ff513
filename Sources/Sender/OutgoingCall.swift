import Foundation
import SIP

/// One call a UAC starts (RFC 3261 §13, §9, §15): the INVITE, the ACK for its 2xx, and its end —
/// CANCEL while only provisional answers came (never before one, §9.1), BYE once confirmed,
/// nothing once it failed. Every request goes to the same target (the registrar, as a phone with
/// an outbound proxy sends), the in-dialog ones with the answer's Contact as Request-URI.
// @unchecked: every `var` is read and written under `lock`.
public final class OutgoingCall: @unchecked Sendable {
    /// How `hangUp` ended the call.
    public enum Ending: Sendable {
        /// CANCEL's own answer, and the INVITE's final answer that followed (487 normally).
        case cancelled(cancel: TransactionResult, invite: TransactionResult?)
        /// BYE's answer after the call was confirmed.
        case bye(TransactionResult)
        /// The call was not up (it failed, or it was ended already): nothing was sent.
        case alreadyEnded(String)
    }

    public let invite: OutgoingRequest
    public let target: SIPTarget
    public let identity: TransactionIdentity
    private let sender: SIPSender
    private let onProvisional: @Sendable (SIPMessage) -> Void
    private let lock = NSLock()
    private var provisional: SIPMessage?
    private var final: TransactionResult?
    private var hangUpWanted = false
    /// The far end sent BYE: the dialog is over without us sending anything.
    private var endedByPeer = false
    /// A 2xx came: the dialog exists, even before `final` is set (after the ACK is sent).
    private var confirmed = false
    private var cancelTask: Task<TransactionResult, Error>?
    private var byeTask: Task<TransactionResult, Error>?
    private var inviteTask: Task<TransactionResult, Error>?

    public init(invite: OutgoingRequest, to target: SIPTarget, via sender: SIPSender,
                onProvisional: @escaping @Sendable (SIPMessage) -> Void = { _ in }) {
        var g = SystemRandomNumberGenerator()
        self.invite = invite
        self.target = target
        self.sender = sender
        self.onProvisional = onProvisional
        identity = TransactionIdentity.fresh(cseq: UInt32.random(in: 1...10_000, using: &g), using: &g)
    }

    /// Sends the INVITE; `answer()` waits for its final response.
    public func start() {
        lock.withLock {
            guard inviteTask == nil else { return }
            inviteTask = Task { try await self.run() }
        }
    }

    /// The INVITE's final answer (a 2xx has been acknowledged by then).
    public func answer() async throws -> TransactionResult {
        guard let task = lock.withLock({ inviteTask }) else { throw SenderError.invalidTarget("the call was not started") }
        return try await task.value
    }

    /// True once the INVITE has its final answer and, if it was a 2xx, the call was ended.
    public var isOver: Bool {
        lock.withLock {
            if endedByPeer { return true }
            guard let final else { return false }
            return !final.isSuccess || byeTask != nil
        }
    }

    /// The far end ended the confirmed call with a BYE (RFC 3261 §15.1.2): answered by the
    /// caller; a later hang-up sends nothing. False when this call has no dialog to end.
    public func peerSentBye(callID: String) -> Bool {
        guard callID == identity.callID else { return false }
        return lock.withLock {
            guard confirmed || final?.isSuccess == true, byeTask == nil else { return false }
            endedByPeer = true
            return true
        }
    }

    private func run() async throws -> TransactionResult {
        let result = try await sender.send(invite, to: target, identity: identity) { [weak self] message in
            self?.provisionalArrived(message)
        }
        if result.isSuccess {
            // Confirmed from the 2xx on (§13.2.2.4): a BYE from the far end may follow the ACK at once.
            lock.withLock { confirmed = true }
            try await sender.acknowledge(inDialog("ACK", after: result, cseq: identity.cseq), to: target,
                                         identity: inDialogIdentity(cseq: identity.cseq), inviteBranch: identity.branch)
        }
        let hangUpNow = lock.withLock { () -> Bool in
            final = result
            guard result.isSuccess, hangUpWanted, byeTask == nil else { return false }
            byeTask = Task { try await self.bye(after: result) }
            return true
        }
        if hangUpNow { _ = try? await lock.withLock({ byeTask })?.value }
        return result
    }

    private func provisionalArrived(_ message: SIPMessage) {
        lock.withLock {
            provisional = message
            if hangUpWanted, final == nil, cancelTask == nil { cancelTask = Task { try await self.cancel() } }
        }
        onProvisional(message)
    }

    /// Ends the call: CANCEL before the final answer, BYE after a 2xx, nothing after a failure.
    /// Before any provisional answer it waits for one (or for the final answer).
    public func hangUp() async throws -> Ending {
        let (cancel, bye, ended) = lock.withLock { () -> (Task<TransactionResult, Error>?, Task<TransactionResult, Error>?, String?) in
            if let final {
                if !final.isSuccess { return (nil, nil, "the call had already failed: \(final.statusCode) \(final.reasonPhrase)") }
                if byeTask != nil { return (nil, nil, "the call was already ended (BYE sent)") }
                if endedByPeer { return (nil, nil, "the far end already hung up (BYE received)") }
                let result = final
                byeTask = Task { try await self.bye(after: result) }
                return (nil, byeTask, nil)
            }
            hangUpWanted = true
            if provisional != nil, cancelTask == nil { cancelTask = Task { try await self.cancel() } }
            return (cancelTask, nil, nil)
        }
        if let ended { return .alreadyEnded(ended) }
        if let bye { return .bye(try await bye.value) }
        if let cancel {
            let answer = try await cancel.value
            return .cancelled(cancel: answer, invite: try? await self.answer())
        }
        // No answer at all yet: the CANCEL (or BYE) goes out when one comes.
        let inviteAnswer = try await self.answer()
        let (c, b) = lock.withLock { (cancelTask, byeTask) }
        if let c { return .cancelled(cancel: try await c.value, invite: inviteAnswer) }
        if let b { return .bye(try await b.value) }
        return .alreadyEnded("the call failed before it could be cancelled: \(inviteAnswer.statusCode) \(inviteAnswer.reasonPhrase)")
    }

    /// RFC 3261 §9.1: the CANCEL has the INVITE's Request-URI, Call-ID, To, From, CSeq number and branch.
    private func cancel() async throws -> TransactionResult {
        let request = OutgoingRequest(method: "CANCEL", requestURI: invite.requestURI, from: invite.from, to: invite.to,
                                      contact: invite.contact)
        return try await sender.send(request, to: target, identity: identity)
    }

    private func bye(after answer: TransactionResult) async throws -> TransactionResult {
        try await sender.send(inDialog("BYE", after: answer, cseq: identity.cseq &+ 1), to: target,
                              identity: inDialogIdentity(cseq: identity.cseq &+ 1))
    }

    /// A request inside the dialog the 2xx set up: its Contact as Request-URI, its To (with tag).
    private func inDialog(_ method: String, after answer: TransactionResult, cseq: UInt32) -> OutgoingRequest {
        let remoteTarget = answer.response.header("contact").flatMap(SIPURI.init).map(\.raw)
        return OutgoingRequest(method: method, requestURI: remoteTarget ?? invite.requestURI, from: invite.from,
                               to: answer.response.header("to") ?? invite.to, contact: invite.contact)
    }

    /// Same Call-ID and From tag, a new branch (ACK for a 2xx and BYE are new transactions).
    private func inDialogIdentity(cseq: UInt32) -> TransactionIdentity {
        var g = SystemRandomNumberGenerator()
        let fresh = TransactionIdentity.fresh(cseq: cseq, using: &g)
        return TransactionIdentity(branch: fresh.branch, callID: identity.callID, fromTag: identity.fromTag, cseq: cseq)
    }
}
