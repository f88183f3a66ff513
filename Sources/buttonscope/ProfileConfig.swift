import Foundation
import Sender
import TOMLKit
import Pipeline
import Rendering

/// The profiles file: `$XDG_CONFIG_HOME/buttonscope/profiles.toml`, else
/// `~/.config/buttonscope/profiles.toml`, or the file `--config` names. One table per profile:
///
///     [profiles.lab]
///     local = "127.0.0.1:5070"
///     transport = "tcp"
///
/// A bad file is unusable input naming the file, the line and what is wrong.
struct ProfileConfig {
    var path: String
    var profiles: [String: SenderProfile]

    /// The per-user place, from the environment.
    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/buttonscope/profiles.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/buttonscope/profiles.toml" }
        return nil
    }

    /// Looks `name` up. Nil profile (with a one-line note for stderr) when the file does not
    /// define it or there is no file: the defaults apply, so dialplan lines naming FreeSWITCH's
    /// `internal` work unchanged. A file named with `--config` must exist.
    static func profile(_ name: String, config explicit: String?) throws -> (profile: SenderProfile?, note: String?) {
        guard let path = explicit ?? defaultPath() else {
            return (nil, "profile \(name): no config file (neither XDG_CONFIG_HOME nor HOME is set): using the defaults")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            if explicit != nil { throw UnusableInput("--config \(path): no such file") }
            return (nil, "profile \(name): \(path) does not exist: using the defaults (\(defaultsText))")
        }
        let config = try load(path)
        guard let profile = config.profiles[name] else {
            let known = config.profiles.keys.sorted()
            return (nil, "profile \(name): not defined in \(path)"
                    + (known.isEmpty ? "" : " (it defines \(known.joined(separator: ", ")))") + ": using the defaults (\(defaultsText))")
        }
        return (profile, nil)
    }

    static let defaultsText = "UDP, port 5060, any local address"

    static func load(_ path: String) throws -> ProfileConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw UnusableInput("\(path): cannot read it") }
        guard let text = String(data: data, encoding: .utf8) else { throw UnusableInput("\(path): not UTF-8 text") }
        return try parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws -> ProfileConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw UnusableInput("\(path):\(e.source.begin.line): \(e.description)")
        }
        let lines = TOMLLineLocator(text)
        var profiles: [String: SenderProfile] = [:]
        for key in table.keys where key != "profiles" {
            throw UnusableInput("\(path):\(lines.line(of: key, in: nil)): unknown key `\(key)`: profiles go in [profiles.NAME] tables")
        }
        guard let all = table["profiles"] else { return ProfileConfig(path: path, profiles: [:]) }
        guard let profilesTable = all.table else {
            throw UnusableInput("\(path):\(lines.line(of: "profiles", in: nil)): `profiles` must be a table of [profiles.NAME] tables, not a \(all.type)")
        }
        for name in profilesTable.keys {
            let section = "profiles.\(name)"
            guard let entries = profilesTable[name]?.table else {
                throw UnusableInput("\(path):\(lines.line(of: name, in: "profiles")): profile `\(name)` must be a table ([profiles.\(name)])")
            }
            var p = SenderProfile(name: name)
            for key in entries.keys {
                let at = "\(path):\(lines.line(of: key, in: section))"
                guard let value = entries[key] else { continue }
                func string() throws -> String {
                    guard let s = value.string else { throw UnusableInput("\(at): [\(section)] \(key) must be a string, not a \(value.type)") }
                    return s
                }
                switch key {
                case "local":
                    p.local = try string()
                case "transport":
                    let t = try string()
                    guard let kind = SIPTransportKind(rawValue: t.lowercased()) else {
                        throw UnusableInput("\(at): [\(section)] transport \"\(t)\" is not one of udp, tcp, tls")
                    }
                    p.transport = kind
                case "port":
                    guard let n = value.int, (1...65535).contains(n) else {
                        throw UnusableInput("\(at): [\(section)] port must be a number from 1 to 65535")
                    }
                    p.port = n
                case "ca_file":
                    p.caFile = try string()
                case "insecure":
                    guard let b = value.bool else { throw UnusableInput("\(at): [\(section)] insecure must be true or false, not a \(value.type)") }
                    p.insecure = b
                case "server_name":
                    p.serverName = try string()
                case "registrations":
                    p.registrations = try string()
                default:
                    throw UnusableInput("\(at): [\(section)] unknown key `\(key)` (a profile knows \(SenderProfile.keys.joined(separator: ", ")))")
                }
            }
            profiles[name] = p
        }
        return ProfileConfig(path: path, profiles: profiles)
    }
}

/// Finds the line a key was written on, for errors TOMLKit's tables cannot place: the key's line
/// inside its `[table]` (or dotted `table.key =`), else the table header's, else 1.
struct TOMLLineLocator {
    let lines: [Substring]

    init(_ text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    func line(of key: String, in table: String?) -> Int {
        var current: String?
        var headerLine: Int?
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t\r")).replacingOccurrences(of: " ", with: "")
                    .replacingOccurrences(of: "\"", with: "")
                if let table, current == table + "." + key || (table == "profiles" && current == "profiles." + key) { return i + 1 }
                if current == table { headerLine = i + 1 }
                if table == nil, current == key || current?.hasPrefix(key + ".") == true { return i + 1 }
                continue
            }
            let name = line.prefix { $0 != "=" }.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\"", with: "")
            guard line.contains("=") else { continue }
            if current == table, name == key { return i + 1 }
            if let table, current == nil, name == table + "." + key { return i + 1 }
        }
        return headerLine ?? 1
    }
}
