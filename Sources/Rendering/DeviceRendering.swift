import Analysis

/// A phone's model and firmware in `summary`, `state` and the report. Shown only for a Snom
/// User-Agent: other agents (SIPp in the bundled captures) name no model or firmware, and
/// `why` says so where it matters, in its advice.
public enum DeviceRendering {
    /// `  snom370 firmware 8.7.5.35`, or nothing.
    public static func suffix(_ device: PhoneDevice?) -> String {
        guard let device, let model = device.model else { return "" }
        return "  \(TerminalText.safe(model)) firmware \(TerminalText.safe(device.firmware ?? "unknown"))"
    }

    /// `model`, `firmware`, `firmware_series` and `user_agent` for a Snom; nothing otherwise.
    public static func jsonFields(_ device: PhoneDevice?) -> [(String, JSONValue)] {
        guard let device, let model = device.model else { return [] }
        let series: String? = device.series.map {
            switch $0 {
            case .seven: return "7.x"
            case .eight: return "8.x"
            case .other(let major): return "\(major).x"
            }
        }
        return [("model", .string(model)), ("firmware", .optional(device.firmware)), ("firmware_series", .optional(series)),
                ("user_agent", .string(device.userAgent)), ("user_agent_frame", .int(device.frame))]
    }
}
