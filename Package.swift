// swift-tools-version:6.0
import PackageDescription

/// The pipeline runs one way: Capture → SIP → Buttons → Analysis → renderers (the CLI).
/// Sender and Phone are the other direction: they speak SIP to live peers.
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
        .target(name: "Diagnostics"),
        .target(name: "Capture", dependencies: ["Diagnostics", "CPcap", "CZlib"]),
        // Decrypts SIP over TLS in captures, given the keys (TLSSecrets); swift-crypto does the ciphers.
        .target(name: "TLSDecryption", dependencies: [
            "Capture", "Diagnostics",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .target(name: "SIP", dependencies: ["Capture", "Diagnostics", "TLSDecryption"]),
        .target(name: "Buttons", dependencies: ["Diagnostics"]),
        .target(name: "Analysis", dependencies: ["Capture", "SIP", "Buttons", "Diagnostics"]),
        .target(name: "Sender", dependencies: [
            "SIP", "Buttons", "Capture",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "Phone", dependencies: [
            "SIP", "Buttons", "Sender", "Capture",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Runs the pipeline on a capture or a live source and hands out messages, exchanges, key
        // events and summaries; prints nothing.
        .target(name: "Pipeline", dependencies: ["Capture", "SIP", "Buttons", "Analysis", "Diagnostics"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        // Terminal text, JSON/NDJSON and the HTML report: returns text, prints nothing.
        .target(name: "Rendering", dependencies: ["Pipeline", "Capture", "SIP", "Buttons", "Analysis", "Diagnostics"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(name: "buttonscope", dependencies: [
            "Capture", "SIP", "Buttons", "Analysis", "Sender", "Phone", "Diagnostics", "Pipeline", "Rendering",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ], swiftSettings: [.swiftLanguageMode(.v6)]),
        // libFuzzer targets: `scripts/fuzz` builds them with -DFUZZING -sanitize=fuzzer,address;
        // a plain build makes harmless stubs.
        .executableTarget(name: "FuzzCapture", dependencies: ["Capture", "SIP", "Analysis"]),
        .executableTarget(name: "FuzzSIP", dependencies: ["Capture", "SIP"]),
        .executableTarget(name: "FuzzButtons", dependencies: ["Buttons"]),
        .executableTarget(name: "hep-load", path: "Sources/HEPLoad"),
        .testTarget(name: "CaptureTests", dependencies: ["Capture"]),
        .testTarget(name: "TLSDecryptionTests", dependencies: [
            "TLSDecryption", "Capture", "SIP",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .testTarget(name: "SIPTests", dependencies: ["SIP", "Capture"], exclude: ["FuzzRegressions"]),
        .testTarget(name: "ButtonsTests", dependencies: ["Buttons"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "SIP", "Buttons", "Capture"]),
        .testTarget(name: "SenderTests", dependencies: [
            "Sender", "Phone", "SIP", "Buttons", "Capture",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Capture"], exclude: ["Golden"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Capture", "SIP", "Analysis"]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "Pipeline", "Capture", "SIP", "Analysis"]),
    ],
    swiftLanguageModes: [.v5]
)
