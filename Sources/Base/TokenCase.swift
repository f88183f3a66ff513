extension String {
    /// `uppercased()` for protocol tokens such as SIP methods: the same result, without Unicode
    /// case mapping or a new string when the token is already uppercase ASCII, as nearly every one
    /// is (it was called five times a message).
    @inlinable
    public var tokenUppercased: String {
        var token = self
        let plain = token.withUTF8 { bytes in !bytes.contains { ($0 >= 0x61 && $0 <= 0x7a) || $0 >= 0x80 } }
        return plain ? self : uppercased()
    }
}
