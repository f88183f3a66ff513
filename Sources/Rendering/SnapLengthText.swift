import Analysis
import SIP

/// How every command says that the snap length cut documents away (`SnapLengthCuts`).
public enum SnapLengthText {
    /// `{"snap_length", "documents", "registers", "phones": [{"user", "documents", "registers", "frames"}], "command"}`.
    public static func json(_ cuts: SnapLengthCuts, snapLength: Int?, only user: String? = nil) -> JSONValue {
        let users = cuts.users.filter { user == nil || $0 == user || $0 == SnapLengthCuts.unknownPhone }
        let phones = users.compactMap { u in cuts.byUser[u].map { (u, $0) } }
        return .object([
            ("snap_length", .optional(snapLength)),
            ("documents", .int(phones.reduce(0) { $0 + $1.1.documents })),
            ("registers", .int(phones.reduce(0) { $0 + $1.1.registers })),
            ("phones", .array(phones.map { u, c in
                .object([("user", u.isEmpty ? .null : .string(u)), ("documents", .int(c.documents)),
                         ("registers", .int(c.registers)), ("frames", .array(c.frames.map(JSONValue.int)))])
            })),
            ("command", .string(SnapLengthCuts.wholePacketsCommand)),
        ])
    }

    /// Whether `cuts` has anything for `user` (every phone when nil).
    public static func concerns(_ cuts: SnapLengthCuts, user: String?) -> Bool {
        cuts.byUser.keys.contains { user == nil || $0 == user || $0 == SnapLengthCuts.unknownPhone }
    }

    public static func lines(_ cuts: SnapLengthCuts, snapLength: Int?, only user: String? = nil) -> [String] {
        cuts.sentences(snapLength: snapLength, only: user).map(TerminalText.safe)
    }
}
