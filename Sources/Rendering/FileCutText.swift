import Base
import Pipeline

/// How a file read only in part is said by the commands that do not list problems themselves.
extension FileCut {
    public var note: String {
        "buttonscope: note: this answer leaves out the rest of the file: \(diagnostic.message)"
    }

    public var json: JSONValue {
        .object([("code", .string(diagnostic.code)), ("frame", .optional(diagnostic.frame)), ("message", .string(diagnostic.message))])
    }
}
