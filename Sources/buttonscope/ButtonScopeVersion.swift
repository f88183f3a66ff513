/// The one place the version lives: `--version` prints it, the HTML report's footer shows it.
enum ButtonScopeVersion {
    static let current = "0.4.0"
}
