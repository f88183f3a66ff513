/// A description without `c=` after one that lit the lamp: the spec's way of turning a lamp off
/// ("If an entry is not present, then a default value shall apply. The previously stored value
/// for that property will be overwritten in any case."; its walk-through clears key 3 with
/// `k=3 l=42`), so it is the PBX's intent, said as a note in case the PBX forgot c=.
enum LightOmission {
    static func note(_ doc: SentKeyDocument, after previous: SentKeyDocument) -> String {
        "frame \(doc.frame) at \(doc.time.clockString) described key \(doc.key) with no c=, so off: "
            + "the lamp went from \(previous.state.light) (frame \(previous.frame)) to off, as the spec means it "
            + "(a missing entry takes its default; the spec clears a lamp with k=3 l=42). "
            + "If the PBX meant it to stay lit, repeat c= to keep it lit: c=\(previous.state.light) in every description of key \(doc.key)."
    }
}
