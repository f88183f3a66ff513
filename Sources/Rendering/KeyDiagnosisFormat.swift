public enum KeyDiagnosisFormat {
    public static func seconds(_ s: Double) -> String {
        s < 1 ? "\(Int((s * 1000).rounded())) ms" : s < 120 ? "\(Int(s.rounded())) s" : "\(Int(s / 60)) min \(Int(s) % 60) s"
    }
}

extension String {
    public func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
