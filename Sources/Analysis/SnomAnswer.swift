import Capture

/// What a Snom phone means by the status it answers an x-buttons MESSAGE with (PROTOCOL.md).
public enum SnomAnswer {
    public static func meaning(_ status: Int) -> String {
        switch status {
        case 404:
            return "404 Not Found: the Request-URI user is not one of the phone's identities; send to the user it registered, at its contact with its line="
        case 415:
            return "415 Unsupported Media Type: the phone does not take application/x-buttons here (check the Content-Type header, and that x-buttons support is on for this identity)"
        case 488, 606:
            return "\(status) Not Acceptable: the phone refused the body; check the document (lint) and its Content-Type"
        case 400:
            return "400 Bad Request: the phone could not parse the SIP message itself (headers, Content-Length)"
        case 401, 407:
            return "\(status): the phone asks the sender to authenticate; the PBX must answer the challenge"
        case 403:
            return "403 Forbidden: the phone does not accept MESSAGE from this sender (\"Filter packets from registrar\" or a trust setting)"
        case 405, 501:
            return "\(status): the phone does not accept MESSAGE requests at all"
        case 480, 486:
            return "\(status): the identity is busy or unavailable (DND?)"
        case 500...599:
            return "\(status): the phone or a proxy on the way failed; retry and check the path"
        default:
            return "\(status): not an answer a Snom is known to give to x-buttons; the phone did not take the document"
        }
    }
}
