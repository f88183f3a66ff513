import Foundation
import Testing
@testable import Buttons
import TestSupport

@Suite struct EncoderTests {
    @Test func canonicalOrderAndCRLF() {
        let description = KeyDescription(entries: [
            Entry(.label, "Night", line: 1), Entry(.key, "3", line: 2), Entry(.action, "message", line: 3),
            Entry(.light, "on", line: 4), Entry(letter: "z", value: "9", line: 5), Entry(.destination, "*78", line: 6),
        ])
        let text = String(decoding: ButtonsEncoder.encode([description]), as: UTF8.self)
        #expect(text == "k=3\r\nc=on\r\na=message\r\nn=*78\r\nl=Night\r\nz=9\r\n")
    }

    @Test func emptyLineBetweenDescriptionsAndNoneAfter() {
        let one = KeyDescription(entries: [Entry(.key, "1", line: 1)])
        let two = KeyDescription(entries: [Entry(.key, "2", line: 1), Entry(.light, "on", line: 2)])
        let text = String(decoding: ButtonsEncoder.encode([one, two]), as: UTF8.self)
        #expect(text == "k=1\r\n\r\nk=2\r\nc=on\r\n")
    }

    @Test func keyWithoutAKEntryIsWrittenFirst() {
        let description = KeyDescription(key: "5", entries: [Entry(.light, "hold", line: 1)], line: 1)
        #expect(String(decoding: ButtonsEncoder.encode([description]), as: UTF8.self) == "k=5\r\nc=hold\r\n")
    }

    @Test func encodeState() {
        let bytes = ButtonsEncoder.encode(key: "2", state: KeyState(light: "on", label: "(co2)"))
        #expect(String(decoding: bytes, as: UTF8.self) == "k=2\r\nc=on\r\nl=(co2)\r\n")
        #expect(ButtonsDocument(decoding: bytes).descriptions[0].state == KeyState(light: "on", label: "(co2)"))
    }

    // MARK: property test

    /// Valid values for each property; text is built from a pool with spaces and UTF-8 but no
    /// `=`, so it can never look like entries on one line.
    static func value(for property: Property, _ random: inout SplitMix64) -> String {
        switch property {
        case .light: return random.pick(PropertyValues.lights)
        case .color: return random.chance(50) ? random.pick(PropertyValues.namedColors)
            : "#" + String((0..<6).map { _ in random.pick(Array("0123456789abcdefABCDEF")) })
        case .action: return random.pick(PropertyValues.actions)
        case .direction: return random.pick(PropertyValues.directions)
        case .forward: return random.pick(PropertyValues.forwardModes) + " " + text(&random)
        case .mwi: return "\(random.below(1000))/\(random.below(1000))"
        case .release: return random.pick(PropertyValues.releases)
        case .state: return (0..<random.below(4)).map { _ in random.pick(PropertyValues.states) }.joined(separator: " ")
        case .treatment: return "<urn:uuid:\(random.next())>" + (random.chance(50) ? " " + text(&random) : "")
        case .type: return random.pick(PropertyValues.types)
        // Issue 15: an empty n= is a finding (text is one or more characters), so never generated.
        case .destination: return text(&random)
        case .key, .label, .displayName, .caller: return text(&random)
        }
    }

    static func text(_ random: inout SplitMix64) -> String {
        let pool: [Character] = Array("abcXYZ0189*#()<>@.:-_/éü日本€ ")
        var characters = (0..<(1 + random.below(12))).map { _ in random.pick(pool) }
        // Text may hold spaces, but not at its ends.
        if characters.first == " " { characters[0] = "a" }
        if characters.last == " " { characters[characters.count - 1] = "z" }
        return String(characters)
    }

    /// A valid document in canonical order, with the line numbers decoding must give it.
    static func document(_ random: inout SplitMix64) -> [KeyDescription] {
        var descriptions: [KeyDescription] = []
        var line = 1
        for _ in 0..<(1 + random.below(5)) {
            var entries = [Entry(.key, value(for: .key, &random), line: line)]
            for property in Property.allCases.dropFirst() where random.chance(40) {
                entries.append(Entry(property, value(for: property, &random), line: line + entries.count))
            }
            descriptions.append(KeyDescription(entries: entries))
            line += entries.count + 1
        }
        return descriptions
    }

    @Test func decodeOfEncodeIsIdentity() {
        var random = SplitMix64(seed: 0x5EED_B077)
        for round in 0..<500 {
            let original = Self.document(&random)
            let bytes = ButtonsEncoder.encode(original)
            let decoded = ButtonsDocument(decoding: bytes)
            #expect(decoded.descriptions == original, "round \(round)")
            #expect(decoded.findings.isEmpty, "round \(round): \(decoded.codes)")
            #expect(decoded.lineEnding == .crlf)

            // CRLF only: every LF has a CR before it, every CR an LF after it.
            for (index, byte) in bytes.enumerated() {
                if byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D) }
                if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A) }
            }
            // k= first in every description; no trailing empty description.
            let text = String(decoding: bytes, as: UTF8.self)
            for block in text.components(separatedBy: "\r\n\r\n") {
                #expect(block.hasPrefix("k="))
            }
            #expect(!text.hasSuffix("\r\n\r\n"))
        }
    }
}
