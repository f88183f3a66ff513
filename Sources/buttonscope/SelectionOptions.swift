import Analysis
import ArgumentParser
import Base
import Pipeline
import Rendering

/// The selection options `replay`, `export`, `watch` and `phone` share, spelled the same in each.
/// `--select` is `replay`'s old spelling of `--frames`, kept so scripts keep working.
struct SelectionOptions: ParsableArguments {
    @Option(name: [.customLong("frames"), .customLong("select")],
            help: ArgumentHelp("Frames and ranges, e.g. 12,15-18: the messages any of those frames carried (--select is the old spelling).", valueName: "list"))
    var frames: String?

    @Option(help: ArgumentHelp("Requests concerning this phone (its SIP user, e.g. 44); answers come with their request.", valueName: "user"))
    var phone: String?

    @Option(help: ArgumentHelp("x-buttons documents describing this key (e.g. 3).", valueName: "key"))
    var key: String?

    @Option(name: .customLong("call-id"), help: ArgumentHelp("Messages with this Call-ID.", valueName: "id"))
    var callID: String?

    @Option(help: ArgumentHelp("Messages at or after this time: HH:MM:SS[.fff] UTC on the first message's day, or epoch seconds.", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Messages at or before this time (as --from).", valueName: "time"))
    var until: String?

    var isEmpty: Bool { frames == nil && phone == nil && key == nil && callID == nil && from == nil && until == nil }

    /// Argument problems exit 2 with one line naming the option (DESIGN.md's contract).
    func check() throws {
        if let frames, FrameRanges(frames) == nil { throw UnusableInput("--frames \(frames): expected frames and ranges like 12,15-18") }
        for (name, value) in [("--from", from), ("--until", until)] {
            if let value, ClockTime.parse(value, reference: nil) == nil {
                throw UnusableInput("\(name) \(value): expected HH:MM:SS[.fff] (UTC) or epoch seconds")
            }
        }
    }

    /// Refuses the options a command cannot apply, naming why (e.g. the emulated phone has no frames).
    func refuse(_ names: [String], because reason: String) throws {
        let given: [(String, String?)] = [("--frames", frames), ("--phone", phone), ("--key", key), ("--call-id", callID),
                                          ("--from", from), ("--until", until)]
        if let (name, _) = given.first(where: { names.contains($0.0) && $0.1 != nil }) {
            throw UnusableInput("\(name): \(reason)")
        }
    }

    /// The selection, times read against `reference`'s day (the first frame or message, or now).
    func selection(reference: Timestamp?) -> MessageSelection {
        MessageSelection(frames: frames.flatMap(FrameRanges.init), phone: phone, key: key, callID: callID,
                         from: from.flatMap { ClockTime.parse($0, reference: reference) },
                         until: until.flatMap { ClockTime.parse($0, reference: reference) })
    }
}
