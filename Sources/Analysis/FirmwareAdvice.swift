/// What a key must be set to on the phone for x-buttons to light it, by firmware series, as
/// mod_snom's page says: "Snom firmware 8.x: If you want to actually have the phone flash the
/// second line you must set the line type to 'button' and the Number to the number of the line
/// eg. '2'" and "Snom firmware 7.x: … you must set the line type to 'button'."
enum FirmwareAdvice {
    /// Continues "If it does not, the rest is on the phone", appended to `text`: `summary` asks
    /// it of every key, so it is written into the caller's string, not made of new ones.
    static func keySetting(key: String, device: PhoneDevice?, user: String, into text: inout String) {
        func both() -> String { "on firmware 8.x the key's type must be \"button\" and its Number the key index (\(key)); on 7.x the type must be \"button\"." }
        guard let device else {
            text += ": no User-Agent from \(user) in the capture, so its firmware is unknown. " + both().capitalizedFirst
            return
        }
        guard let series = device.series else {
            let who = device.model == nil ? "its User-Agent \"\(device.userAgent)\" (frame \(device.frame)) names no Snom model"
                : "its User-Agent \"\(device.userAgent)\" (frame \(device.frame)) names no firmware version"
            text += ": " + who + ", so the capture does not tell its firmware. " + both().capitalizedFirst
            return
        }
        text += " ("
        text += device.text
        text += ", from the User-Agent in frame "
        text += String(device.frame)
        switch series {
        case .eight:
            text += "): on firmware 8.x the key's type must be \"button\" AND its Number set to the key index ("
            text += key
            text += "), in the phone's Function Keys settings."
        case .seven:
            text += "): on firmware 7.x the key's type must be \"button\" (in the phone's Function Keys settings)."
        case .other(let major):
            text += "): mod_snom's advice is known only for firmware 7.x (type \"button\") and 8.x (type \"button\" and Number the key index, "
            text += key
            text += "); for "
            text += String(major)
            text += ".x nothing public says more, so start from the 8.x setting and check the phone's own documentation."
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
