import SIP

extension Exchange {
    /// The exchange with only what the `why` chain reads of it: the request's start line, body,
    /// endpoints, frames, times and diagnostics, and each answer's status, reason, frame and time.
    /// Headers and the answers' bodies go: `WhyFacts` keeps a document per key for the whole
    /// capture, and on a busy PBX the headers of those requests were most of its memory.
    func keptForWhy() -> Exchange {
        var e = self
        e.request.message.headers = []
        for i in e.responses.indices {
            e.responses[i].message.message.headers = []
            e.responses[i].message.message.body = []
            e.responses[i].message.effectiveBody = []
        }
        return e
    }
}
