import Base

/// The x-buttons reader's finding codes: where a document leaves the spec's grammar or value
/// lists, and what a phone does with it.
public enum ButtonsCode: String, DiagnosticCode {
    case emptyDocument = "empty-document"
    case findingsTruncated = "findings-truncated"
    case bareLF = "bare-lf"
    case loneFinalCR = "lone-final-cr"
    case missingLineEnd = "missing-line-end"
    case whitespaceOnlyLine = "whitespace-only-line"
    case invalidEntry = "invalid-entry"
    case invalidUTF8 = "invalid-utf8"
    case unknownProperty = "unknown-property"
    case duplicateEntry = "duplicate-entry"
    case entriesOnOneLine = "entries-on-one-line"
    case deviceSpecificValue = "device-specific-value"
    case invalidValue = "invalid-value"
    case surroundingSpace = "surrounding-space"
    case keyNotFirst = "key-not-first"
    case forbiddenCharacter = "forbidden-character"
    case emptyValue = "empty-value"
    case forwardWithoutTarget = "forward-without-target"

    public var meaning: String {
        switch self {
        case .emptyDocument: "The body describes no key (empty, blank lines only, or nothing left after repair): the phone changes nothing."
        case .findingsTruncated: "More findings in this body than the limit: the rest were not listed."
        case .bareLF: "Lines end in a bare LF where the spec asks for CRLF; Snom phones accept it, a strict reader may not."
        case .loneFinalCR: "The body ends in a CR with no LF after it; the phone reads it as the end of the last line."
        case .missingLineEnd: "The last line has no line end, which the spec's grammar asks for."
        case .whitespaceOnlyLine: "A line holds only spaces or tabs: read as an empty line that starts a new description; a phone may read it as a broken entry."
        case .invalidEntry: "A line with no '=' is no entry: the phone skips it."
        case .invalidUTF8: "A value is not valid UTF-8: the phone shows garbled characters or does not match it."
        case .unknownProperty: "A letter the spec does not define as a property: the phone ignores the line."
        case .duplicateEntry: "A property given twice in one description (a second k= usually means a missing empty line)."
        case .entriesOnOneLine: "What looks like a second entry inside a value (\" c=\"): read as part of the value."
        case .deviceSpecificValue: "A value outside the spec's lists that some phones accept."
        case .invalidValue: "A value outside the spec's lists: the phone will not apply it as intended."
        case .surroundingSpace: "A value starts or ends with a space, which the phone keeps."
        case .keyNotFirst: "A description that does not begin with k=: the phone cannot tell which key is meant and ignores it."
        case .forbiddenCharacter: "A value holds a control character (CR, LF, TAB…) that x-buttons text may not hold."
        case .emptyValue: "A text value is empty, but the spec's grammar makes text one or more characters."
        case .forwardWithoutTarget: "f= names a forward mode but no target number."
        }
    }
}
