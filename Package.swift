// swift-tools-version:6.0
import PackageDescription

/// The pipeline runs one way: Capture → SIPCapture → Buttons → Analysis → renderers (the CLI).
/// Sender and Phone are the other direction: they speak SIP to live peers, with SIP's wire model
/// only (no Capture, so no libpcap). Base is under every layer; TLSKeys is the key material both
/// directions share (read from captures, written by `--record`).

let package = Package(
    name: "ButtonScope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "buttonscope", targets: ["buttonscope"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),

        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        // zlib inflates HEP's compressed payload chunk (bounded, see ZlibInflater).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // What every layer shares: Diagnostic, Endpoint, Timestamp, string helpers.
        .target(name: "Base"),
        // TLS key material (key logs, Decryption Secrets Blocks): read by Capture, written by Sender.
        .target(name: "TLSKeys", dependencies: ["Base"]),
        .target(name: "Capture", dependencies: ["Base", "TLSKeys", "CPcap", "CZlib"]),
        // Decrypts SIP over TLS in captures, given the keys (TLSSecrets); swift-crypto does the ciphers.
        .target(name: "TLSDecryption", dependencies: [
            "Base", "TLSKeys",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        // SIP's wire model: messages, parser, serializer, URIs, stream framing.
        .target(name: "SIP", dependencies: ["Base"]),
        // SIP out of captures: extraction, reassembly accounting, carriers, HEP collection.
        .target(name: "SIPCapture", dependencies: ["Base", "Capture", "SIP", "TLSDecryption", "TLSKeys"]),
        .target(name: "Buttons", dependencies: ["Base"]),
        .target(name: "Analysis", dependencies: ["Base", "Capture", "SIP", "SIPCapture", "Buttons"]),
        .target(name: "Sender", dependencies: [
            "Base", "SIP", "Buttons", "TLSKeys",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "Phone", dependencies: [
            "Base", "SIP", "Buttons", "Sender",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Runs the pipeline on a capture or a live source and hands out messages, exchanges, key
        // events and summaries; prints nothing.
        .target(name: "Pipeline", dependencies: ["Base", "Capture", "TLSKeys", "SIP", "SIPCapture", "Buttons", "Analysis"]),
        // Terminal text, JSON/NDJSON and the HTML report: returns text, prints nothing.
        .target(name: "Rendering", dependencies: ["Base", "Pipeline", "Capture", "TLSKeys", "SIP", "SIPCapture", "Buttons", "Analysis"]),
        .executableTarget(name: "buttonscope", dependencies: [
            "Base", "Capture", "TLSKeys", "SIP", "SIPCapture", "Buttons", "Analysis", "Sender", "Phone", "Pipeline", "Rendering",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            "CAllocatorConfig",
        ],
        // jemalloc (Debian's libjemalloc-dev) as the process's allocator: a message is a few dozen
        // small allocations, and glibc's malloc and free were a sixth of a collector's CPU
        // (BENCHMARKS.md, "The allocator").
        linkerSettings: [.linkedLibrary("jemalloc")]),
        // jemalloc's options for the CLI (two arenas, freed pages returned after a second).
        .target(name: "CAllocatorConfig"),
        // libFuzzer targets: `scripts/fuzz` builds them with -DFUZZING -sanitize=fuzzer,address;
        // a plain build makes harmless stubs.
        .executableTarget(name: "FuzzCapture", dependencies: ["Base", "Capture", "SIP", "SIPCapture", "Analysis"]),
        .executableTarget(name: "FuzzSIP", dependencies: ["Base", "Capture", "SIP", "SIPCapture"]),
        .executableTarget(name: "FuzzButtons", dependencies: ["Buttons"]),
        .executableTarget(name: "hep-load", path: "Sources/HEPLoad"),
        // What the tests share: packet, capture-file and SIP builders, paths, the manifests, and
        // one command runner for the built CLI and external tools.
        .target(name: "TestSupport", dependencies: ["Base", "Capture", "SIP", "SIPCapture"], path: "Tests/TestSupport"),
        .testTarget(name: "BaseTests", dependencies: ["Base", "TestSupport"]),
        .testTarget(name: "TLSKeysTests", dependencies: ["TLSKeys", "TestSupport"]),
        .testTarget(name: "CaptureTests", dependencies: ["Base", "Capture", "TLSKeys", "TestSupport"]),
        .testTarget(name: "TLSDecryptionTests", dependencies: [
            "Base", "TLSKeys", "TLSDecryption", "Capture", "SIP", "SIPCapture", "TestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .testTarget(name: "SIPTests", dependencies: ["Base", "SIP", "TestSupport"]),
        .testTarget(name: "SIPCaptureTests", dependencies: ["Base", "Capture", "SIP", "SIPCapture", "TLSKeys", "TestSupport"],
                    exclude: ["FuzzRegressions"]),
        .testTarget(name: "ButtonsTests", dependencies: ["Buttons", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Base", "Analysis", "SIP", "SIPCapture", "Buttons", "Capture", "TLSDecryption", "TestSupport"]),
        .testTarget(name: "SenderTests", dependencies: [
            "Base", "Sender", "Phone", "SIP", "Buttons", "Capture", "TLSKeys", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "PhoneTests", dependencies: [
            "Base", "Phone", "Sender", "SIP", "Buttons", "TestSupport",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["Base", "Capture", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "PipelineTests", dependencies: ["Base", "Pipeline", "Capture", "TLSKeys", "SIP", "SIPCapture", "Analysis", "TestSupport"]),
        .testTarget(name: "RenderingTests", dependencies: ["Base", "Rendering", "Pipeline", "Capture", "SIP", "SIPCapture", "Analysis", "TLSKeys", "TestSupport"]),
    ],
    // Swift 6 language mode for every target: data races are compile errors.
    swiftLanguageModes: [.v6]
)
