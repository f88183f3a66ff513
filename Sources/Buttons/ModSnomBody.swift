/// The body FreeSWITCH's mod_snom `snom_bind_key` sends, byte for byte.
///
/// mod_snom writes LF only and checks nothing: `k=KEY\nc=LIGHT\nl=LABEL\nn=ACTION\na=ACTION_NAME\n`
/// when both optional arguments are given, else `k=KEY\nc=LIGHT\nl=LABEL\n\n`. Reproducing it
/// exactly lets us replay what real PBXs sent and test that the decoder accepts it.
public struct ModSnomBody: Hashable, Sendable {
    public var key: String
    public var light: String
    public var label: String
    /// The 7th argument, written as `a=`; only used when `action` is also given.
    public var actionName: String?
    /// The 8th argument, written as `n=` (the number the key dials).
    public var action: String?

    public init(key: String, light: String, label: String, actionName: String? = nil, action: String? = nil) {
        self.key = key
        self.light = light
        self.label = label
        self.actionName = actionName
        self.action = action
    }

    /// The body bytes, exactly as mod_snom formats them.
    public var bytes: [UInt8] {
        var text = "k=\(key)\nc=\(light)\nl=\(label)\n"
        if let actionName, let action {
            text += "n=\(action)\na=\(actionName)\n"
        } else {
            text += "\n"
        }
        return Array(text.utf8)
    }
}

/// The arguments of `snom_bind_key <key> <light> <label> <user> <host> <profile> [<action_name>] [<action>]`.
public struct SnomBindKeyArguments: Hashable, Sendable {
    public var body: ModSnomBody
    public var user: String
    public var host: String
    public var profile: String

    public init(body: ModSnomBody, user: String, host: String, profile: String) {
        self.body = body
        self.user = user
        self.host = host
        self.profile = profile
    }

    /// Splits a console line the way mod_snom does: on spaces, single quotes group words
    /// (`'Office Hours'`), and the 8th argument keeps the rest of the line, spaces included.
    /// Nil with fewer than 6 arguments (mod_snom's usage error). A lone 7th is dropped.
    public init?(line: String) {
        let args = SnomBindKeyArguments.split(line, limit: 8)
        guard args.count >= 6 else { return nil }
        let hasAction = args.count >= 8
        body = ModSnomBody(key: args[0], light: args[1], label: args[2],
                           actionName: hasAction ? args[6] : nil, action: hasAction ? args[7] : nil)
        user = args[3]
        host = args[4]
        profile = args[5]
    }

    /// Up to `limit` arguments; the last one keeps the rest of the line as written.
    static func split(_ line: String, limit: Int) -> [String] {
        var args: [String] = []
        var current = ""
        var inQuote = false
        var started = false
        var scalars = Substring(line).unicodeScalars[...]
        while let scalar = scalars.first {
            if args.count == limit - 1, !started, scalar != " " {
                args.append(String(String.UnicodeScalarView(scalars)))
                return args
            }
            scalars = scalars.dropFirst()
            if scalar == "'" {
                inQuote.toggle()
                started = true
            } else if scalar == " " && !inQuote {
                if started { args.append(current); current = ""; started = false }
            } else {
                current.unicodeScalars.append(scalar)
                started = true
            }
        }
        if started { args.append(current) }
        return args
    }
}
