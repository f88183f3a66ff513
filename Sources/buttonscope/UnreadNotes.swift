import Pipeline
import Rendering

/// Writes what an answer leaves out (`UnreadText`) on stderr.
enum UnreadNotes {
    static func write(_ loaded: LoadedCapture) {
        for note in UnreadText.notes(loaded) { Output.error(TerminalText.safe(note)) }
    }
}
