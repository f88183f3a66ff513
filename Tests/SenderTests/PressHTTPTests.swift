import Foundation
import NIOPosix
import Testing
@testable import Sender
import TestSupport

/// `press` against a local web server that demands auth and checks the answer with Python's
/// hashlib (Tests/SenderTests/Fixtures/http_auth_server.py), so our Digest is judged by code that
/// is not ours. Loopback only.
@Suite(.serialized) struct PressHTTPTests {
    @Test func digestAuthReachesTheRightPageAndTheServerAcceptsIt() throws {
        let server = try PressFixtureServer(scheme: "digest", user: "admin", password: "s3cret pass")
        defer { server.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let result = try KeyPress(host: "127.0.0.1", port: server.port, credentials: HTTPCredentials(user: "admin", password: "s3cret pass"))
            .run(.keys(try KeyPressSequence("enter,50,5000;cancel,50,1000")), on: group)
        #expect(result.status == 200)
        #expect(result.authScheme == "Digest")
        let seen = try server.requests()
        // First the unauthenticated try (401), then the answer to the challenge.
        #expect(seen.count == 2)
        #expect(seen.allSatisfy { $0.path == "/command.htm?key=enter%2C50%2C5000%3Bcancel%2C50%2C1000" })
        #expect(seen.first?.valid == false)
        #expect(seen.last?.valid == true, "server said: \(seen.last?.why ?? "-")")
    }

    @Test func aWrongPasswordIsThe401Error() throws {
        let server = try PressFixtureServer(scheme: "digest", user: "admin", password: "right")
        defer { server.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        do {
            _ = try KeyPress(host: "127.0.0.1", port: server.port, credentials: HTTPCredentials(user: "admin", password: "wrong"))
                .run(.action(.reboot), on: group)
            Issue.record("a wrong password was accepted")
        } catch let e as KeyPressError {
            guard case .status(401, _, let target) = e else { Issue.record("expected the 401 error, got \(e)"); return }
            #expect(target == "/advanced_update.htm?reboot=Reboot")
            #expect(e.description.contains("401"))
        }
        let seen = try server.requests()
        #expect(seen.last?.why.contains("wrong response") == true)
    }

    @Test func basicAuthWhenThePhoneAsksForBasic() throws {
        let server = try PressFixtureServer(scheme: "basic", user: "admin", password: "pw")
        defer { server.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let result = try KeyPress(host: "127.0.0.1", port: server.port, credentials: HTTPCredentials(user: "admin", password: "pw"))
            .run(.action(.misseddel), on: group)
        #expect(result.authScheme == "Basic")
        let seen = try server.requests()
        #expect(seen.last?.path == "/index.htm?misseddel=0")
        #expect(seen.last?.valid == true)
    }

    @Test func noPasswordGivenSaysSoOnThe401() throws {
        let server = try PressFixtureServer(scheme: "digest", user: "admin", password: "pw")
        defer { server.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        #expect {
            _ = try KeyPress(host: "127.0.0.1", port: server.port, credentials: nil).run(.action(.reboot), on: group)
        } throws: { error in
            guard case KeyPressError.needsPassword = error else { return false }
            return true
        }
    }

    @Test func aRefusedConnectionIsNamedAtOnce() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let port = try FreePort.tcp()
        #expect {
            _ = try KeyPress(host: "127.0.0.1", port: port, credentials: nil).run(.action(.reboot), on: group)
        } throws: { error in
            guard case KeyPressError.refused = error else { return false }
            return true
        }
    }

    @Test func theCommandExitsOneOnAWrongPasswordAndTwoOnABadSequence() throws {
        let server = try PressFixtureServer(scheme: "digest", user: "admin", password: "pw")
        defer { server.stop() }
        let ok = try CommandRunner.buttonscope(["press", "127.0.0.1", "1;2;#", "--port", String(server.port), "--password-env", "BS_TEST_PASS", "--json"],
                                    environment: ["BS_TEST_PASS": "pw"])
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        #expect(ok.stdout.contains(#""status":200"#))
        #expect(ok.stdout.contains(#""auth":"Digest""#))
        #expect(try server.requests().last?.path == "/command.htm?key=1%3B2%3B%23")

        let wrong = try CommandRunner.buttonscope(["press", "127.0.0.1", "enter", "--port", String(server.port), "--password-env", "BS_TEST_PASS"],
                                       environment: ["BS_TEST_PASS": "nope"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("401"))

        let before = try server.requests().count
        let bad = try CommandRunner.buttonscope(["press", "127.0.0.1", "enter,,5", "--port", String(server.port)], environment: [:])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("step 1"))
        #expect(try server.requests().count == before, "a bad sequence must not be sent")
    }
}
