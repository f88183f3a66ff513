#if canImport(Glibc)
import Glibc
#endif

/// Whether text is painted for a terminal: colours and symbols only when stdout is one, and never
/// with NO_COLOR. Asked of the process, not stored: nothing is written here, and the renderers
/// that ask return their text for the CLI to print.
public enum TerminalColour {
    public static var enabled: Bool { isatty(1) != 0 && getenv("NO_COLOR") == nil }
}
