#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Pipeline
import Rendering

/// `buttonscope report`: one self-contained HTML page to look at instead of read.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page: summary, why verdicts, key panels, lamp lanes over time, and the MESSAGE/REGISTER call flow.",
        discussion: """
        The page needs no network: CSS, script and drawings are inline. At the top, what `summary` says and the `why` chain of every key whose last document did not come through, linked to the frames. Per phone, its key panel as it stood at the end (lamp colour, blink modes drawn distinctly, labels) and per key a lane over time: the light as coloured spans, a mark at every document naming its frame and outcome (✓ accepted, ✗ rejected or unanswered, ? unknown), key presses and faults. Then a ladder of MESSAGE and REGISTER transactions between the hosts (the first 1000); click an arrow to read the message with its x-buttons body decoded.

        Everything taken from the capture (labels, caller IDs, headers, bodies) is escaped: a hostile label shows as text.

        Examples:
          buttonscope report field.pcap -o field.html
          buttonscope report field.pcap -o - > field.html
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the page, or - for stdout.", valueName: "file"))
    var output: String

    func run() throws {
        try runReporting {
            // Open the output first: a path that cannot be written fails before the capture is read.
            let file: UnsafeMutablePointer<FILE>? = output == "-" ? nil : try Self.open(output)
            defer { if let file { fclose(file) } }
            let data = try ReportData(capture: capture.source())
            // Written as it renders: the page is never held whole.
            var failure: Error?
            ReportPage.write(data, path: capture.path, nonce: Self.nonce(), version: ButtonScopeVersion.current) { piece in
                guard failure == nil else { return }
                if let file {
                    do { try Self.write(piece, to: file, path: output) } catch { failure = error }
                } else {
                    Output.raw(piece)
                }
            }
            if let failure { throw failure }
            if file == nil { Output.raw("\n") }
        }
    }

    /// A fresh nonce per page, so a script smuggled into it could not borrow ours.
    static func nonce() -> String {
        var g = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<22).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] })
    }

    static func open(_ path: String) throws -> UnsafeMutablePointer<FILE> {
        guard let file = fopen(path, "w") else {
            throw UnusableInput("-o \(path): cannot write (\(String(cString: strerror(errno))))")
        }
        return file
    }

    static func write(_ text: String, to file: UnsafeMutablePointer<FILE>, path: String) throws {
        var text = text
        let written = text.withUTF8 { p in fwrite(p.baseAddress, 1, p.count, file) }
        if written != text.utf8.count || fflush(file) != 0 {
            throw UnusableInput("-o \(path): write failed (\(String(cString: strerror(errno))))")
        }
    }
}
