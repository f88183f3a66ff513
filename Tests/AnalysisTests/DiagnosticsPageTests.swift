import Analysis
import Base
import Buttons
import Capture
import Foundation
import SIP
import SIPCapture
import TLSDecryption
import Testing
import TestSupport

/// `docs/diagnostics.md` is rendered from the code enums: scripts match on these codes, so the
/// page must list every one, with its meaning, as the code has it.
@Suite struct DiagnosticsPageTests {
    static let header = """
        # Diagnostic codes

        Every problem ButtonScope reports carries a stable kebab-case code (`code` in `--json`), so scripts
        can match on it; `why` names its links and verdicts the same way. This page is generated from the
        code enums (`UPDATE_DOCS=1 swift test --filter DiagnosticsPageTests` rewrites it); a test fails
        when it and the code differ.

        The CLI adds codes made from these: `why-<verdict>` in the problem counts of `why`, and
        `<method>-unanswered` / `<method>-rejected-<status>` in `summary`.

        """

    static let sections: [DiagnosticCatalog.Section] = [
        .init("Capture", "The file, IP reassembly, key material in the file, and the carriers SIP rides in (module Capture).", CaptureCode.self),
        .init("TLS", "Decrypting SIP over TLS (module TLSDecryption).", TLSCode.self),
        .init("SIP", "Framing SIP messages out of byte streams and reading their bodies (module SIP).", SIPCode.self),
        .init("SIP from captures", "Extracting SIP from frames, tunnels and HEP (module SIPCapture).", SIPCaptureCode.self),
        .init("x-buttons documents", "What `lint` and the explanations say of a document (module Buttons).", ButtonsCode.self),
        .init("Analysis", "Documents and presses as the phone meets them (module Analysis).", AnalysisCode.self),
        .init("why: checks", "The links `why` checks, in order (`check` in `why --json`).", WhyCheck.self),
        .init("why: verdicts", "The first broken link's verdict (`verdict` in `why --json`).", WhyVerdict.self),
    ]

    static var pageURL: URL {
        Paths.root.appendingPathComponent("docs/diagnostics.md")
    }

    @Test func thePageListsEveryCodeAsTheEnumsHaveIt() throws {
        let page = DiagnosticCatalog.markdown(Self.sections, header: Self.header)
        if ProcessInfo.processInfo.environment["UPDATE_DOCS"] == "1" {
            try page.write(to: Self.pageURL, atomically: true, encoding: .utf8)
        }
        let committed = try? String(contentsOf: Self.pageURL, encoding: .utf8)
        #expect(committed == page, "docs/diagnostics.md differs from the code enums: run `UPDATE_DOCS=1 swift test --filter DiagnosticsPageTests` and commit the page")
    }

    /// One code, one owner: a raw value in two enums could drift into two meanings.
    @Test func eachCodeHasOneOwner() {
        var owner: [String: String] = [:]
        for section in Self.sections.prefix(6) {
            for c in section.codes {
                #expect(owner[c.code] == nil, "\(c.code) is in \(owner[c.code] ?? "") and \(section.title)")
                owner[c.code] = section.title
            }
        }
    }

    @Test func codesAreKebabCase() {
        for section in Self.sections {
            for c in section.codes {
                #expect(c.code.allSatisfy { $0 == "-" || $0.isLowercase || $0.isNumber }, "\(c.code)")
                #expect(!c.meaning.isEmpty, "\(c.code) has no meaning")
            }
        }
    }
}
