// Bytes in the order the wire or a file wants them, and text out of bytes: what every builder
// here, and the tests reading what it built, are written in.

public func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
public func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
public func le16(_ v: UInt16) -> [UInt8] { be16(v).reversed() }
public func le32(_ v: UInt32) -> [UInt8] { be32(v).reversed() }
public func u32(_ v: UInt32, bigEndian: Bool) -> [UInt8] { bigEndian ? be32(v) : le32(v) }
public func u64(_ v: UInt64, bigEndian: Bool) -> [UInt8] {
    let high = UInt32(v >> 32), low = UInt32(v & 0xffff_ffff)
    return bigEndian ? be32(high) + be32(low) : le32(low) + le32(high)
}
public func u16(_ v: UInt16, bigEndian: Bool) -> [UInt8] { bigEndian ? be16(v) : le16(v) }
public func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

extension Array where Element == UInt8 {
    public var text: String { String(decoding: self, as: UTF8.self) }
}
extension ArraySlice where Element == UInt8 {
    public var text: String { String(decoding: self, as: UTF8.self) }
}
