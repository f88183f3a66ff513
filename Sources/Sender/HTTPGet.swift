import NIOCore
import NIOHTTP1
import NIOPosix

/// A phone web server's answer to one GET: status, headers, and at most 1 MiB of body.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}

/// One HTTP/1.1 GET over its own connection (`Connection: close`): all a key press needs, and
/// no connection state to get wrong. Errors are `KeyPressError`s a user can act on.
public struct HTTPGet: Sendable {
    public var host: String
    public var port: Int
    public var connectTimeout: TimeAmount
    /// From connection to the end of the answer.
    public var answerTimeout: TimeAmount

    public static let maxBody = 1 << 20

    public init(host: String, port: Int, connectTimeout: TimeAmount = .seconds(5), answerTimeout: TimeAmount = .seconds(15)) {
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.answerTimeout = answerTimeout
    }

    /// `host` as it goes into a URL or Host header (`[::1]` for IPv6 literals).
    var hostForHeader: String {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let named = bare.contains(":") ? "[\(bare)]" : bare
        return port == 80 ? named : "\(named):\(port)"
    }

    var connectHost: String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    public func fetch(target: String, headers extra: [(String, String)], on group: EventLoopGroup) -> EventLoopFuture<HTTPAnswer> {
        let loop = group.next()
        let promise = loop.makePromise(of: HTTPAnswer.self)
        let timeout = answerTimeout
        let host = self.host, port = self.port
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.pipeline.addHTTPClientHandlers().flatMap {
                    channel.pipeline.addHandler(HTTPAnswerCollector(promise: promise, timeout: timeout, host: host, port: port))
                }
            }
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target)
        head.headers.add(name: "Host", value: hostForHeader)
        head.headers.add(name: "User-Agent", value: "ButtonScope")
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in extra { head.headers.add(name: name, value: value) }
        bootstrap.connect(host: connectHost, port: port).whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(KeyPressError.connecting(host: host, port: port, error))
            case .success(let channel):
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
        }
        return promise.futureResult
    }
}

/// Collects the answer; completes the promise exactly once (answer, error, close or timeout).
private final class HTTPAnswerCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<HTTPAnswer>
    private let timeout: TimeAmount
    private let host: String
    private let port: Int
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []
    private var done = false
    private var timer: Scheduled<Void>?

    init(promise: EventLoopPromise<HTTPAnswer>, timeout: TimeAmount, host: String, port: Int) {
        self.promise = promise
        self.timeout = timeout
        self.host = host
        self.port = port
    }

    func channelActive(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            handler.finish(.failure(KeyPressError.noAnswer(host: handler.host, port: handler.port)), context: context)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body(let buffer):
            if body.count < HTTPGet.maxBody { body += buffer.readableBytesView.prefix(HTTPGet.maxBody - body.count) }
        case .end:
            guard let head else { return }
            finish(.success(HTTPAnswer(status: Int(head.status.code), reason: head.status.reasonPhrase,
                                       headers: head.headers.map { (name: $0.name, value: $0.value) }, body: body)),
                   context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(.failure(KeyPressError.broken(host: host, port: port, "\(error)")), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(KeyPressError.broken(host: host, port: port, "the phone closed the connection before answering")), context: context)
        context.fireChannelInactive()
    }

    private func finish(_ result: Result<HTTPAnswer, Error>, context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        timer?.cancel()
        promise.completeWith(result)
        context.close(promise: nil)
    }
}
