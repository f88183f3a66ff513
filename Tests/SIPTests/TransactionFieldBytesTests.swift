import Testing
@testable import SIP
import TestSupport

/// The byte readers of the top Via branch and CSeq give what the string code they replaced gave
/// (kept here as the reference), on hand-picked odd values and on generated ones.
@Suite struct TransactionFieldBytesTests {
    /// The reference: first comma part as a string, then its `branch` parameter.
    func referenceBranch(_ value: String) -> String?? {
        guard let top = SIPMessage.firstCommaPart(value) else { return .none }
        return .some(SIPMessage.parameter("branch", in: top))
    }

    func referenceCSeq(_ v: String) -> (number: UInt32, method: String)? {
        let parts = v.utf8.split(maxSplits: 2, whereSeparator: { $0 == 0x20 || $0 == 0x09 })
        guard parts.count >= 2, let n = UInt32(String(decoding: parts[0], as: UTF8.self)) else { return nil }
        let method = parts[1].split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).first ?? parts[1]
        return (n, String(decoding: method, as: UTF8.self))
    }

    static let viaValues = [
        "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport",
        "SIP/2.0/TCP 10.0.0.1:5060 ; branch = z9hG4bK-x ; rport, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-second",
        ", SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-after-empty",
        "   ", "", "\t,", "SIP/2.0/UDP \"a,b\";branch=q", "SIP/2.0/UDP <x,y>;branch=angle",
        "SIP/2.0/UDP h;BRANCH=upper;branch=lower", "SIP/2.0/UDP h;branch", "SIP/2.0/UDP h;branch=",
        "SIP/2.0/UDP h;=odd;branch=after-odd", "SIP/2.0/UDP h;;branch=empty-part", "SIP/2.0/UDP ħ;branch=ünï",
        "SIP/2.0/UDP h;branch=z9hG4bK-tab\t", "\tSIP/2.0/UDP h;branch=lead-tab",
    ]

    static let cseqValues = ["1 MESSAGE", "  42\tREGISTER  extra", "+7 INVITE", "-0 BYE", "x MESSAGE", "5", "", " ",
                             "4294967295 OPTIONS", "4294967296 OPTIONS", "12 MESS AGE", "3\t\tACK", "٣ MESSAGE"]

    @Test func branchAsTheStringCodeReadsIt() {
        for v in Self.viaValues {
            #expect(TransactionFieldBytes.topViaBranch(v) == referenceBranch(v), "\(v)")
        }
    }

    @Test func cseqAsTheStringCodeReadsIt() {
        for v in Self.cseqValues {
            let got = TransactionFieldBytes.cseq(v), want = referenceCSeq(v)
            #expect(got?.number == want?.number && got?.method == want?.method, "\(v)")
        }
    }

    @Test func generatedValuesAgree() {
        // Values built from the characters that matter to either reader, in every mix.
        let alphabet: [String] = [" ", "\t", ",", ";", "=", "\"", "<", ">", "branch", "BrAnCh", "z9hG4bK", "1", "MESSAGE", "é", "x"]
        var rng = SplitMix64(seed: 13)
        for _ in 0..<20_000 {
            let v = (0..<Int(rng.next() % 9)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            #expect(TransactionFieldBytes.topViaBranch(v) == referenceBranch(v), "\(v)")
            let got = TransactionFieldBytes.cseq(v), want = referenceCSeq(v)
            #expect(got?.number == want?.number && got?.method == want?.method, "\(v)")
        }
    }
}
