// swift-tools-version:6.1
import PackageDescription

// The pipeline, one module per stage:
//   Fetch → FeedParse → Extraction → Fingerprint → Clustering → ClusterStore
// Daemon orders the stages; CLI is the `sift` executable. Curl and Markup are the only
// modules that touch libcurl and libxml2.
let package = Package(
    name: "Sift",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sift", targets: ["CLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(
            url: "https://github.com/apple/swift-configuration",
            from: "1.4.0",
            traits: [.defaults, "YAML"]
        ),
    ],
    targets: [
        // C libraries: headers and link flags only.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // Swift faces of the C libraries.
        .target(name: "Curl", dependencies: ["CCurl"]),
        .target(name: "Markup", dependencies: ["CLibXML2"]),

        // A small HTTP/1.1 server on loopback: the demo site, metrics endpoint and test servers.
        .target(name: "HTTPServer", dependencies: [.product(name: "Logging", package: "swift-log")]),

        // Value types that cross stages.
        .target(name: "Model"),

        // Pipeline stages.
        .target(
            name: "Fetch",
            dependencies: ["Model", "Curl", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "FeedParse",
            dependencies: ["Model", "Markup", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Extraction",
            dependencies: ["Model", "Markup", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "Fingerprint", dependencies: ["Model"]),
        .target(
            name: "Clustering",
            dependencies: ["Model"],
            // Measured: the index's hot loops spend ~40% in dynamic exclusivity checks otherwise.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "StateStore",
            dependencies: ["Model", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "ClusterStore",
            dependencies: ["Model", .product(name: "Logging", package: "swift-log")]
        ),

        // The service that runs the pipeline.
        .target(
            name: "Daemon",
            dependencies: [
                "Model", "Fetch", "FeedParse", "Extraction", "Fingerprint", "Clustering",
                "StateStore", "ClusterStore", "HTTPServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        .executableTarget(
            name: "CLI",
            dependencies: [
                "Daemon", "Model", "FeedParse", "Extraction", "Fingerprint", "Clustering", "ClusterStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmarks (`make bench`): one executable, one file per stage.
        .executableTarget(
            name: "SiftBench",
            dependencies: [
                "Model", "Fetch", "FeedParse", "Extraction", "Fingerprint", "Clustering", "Markup",
                "HTTPServer", "Daemon", "StateStore", "ClusterStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/SiftBench"
        ),

        // Tests mirror modules.
        .testTarget(name: "CurlTests", dependencies: ["Curl", "HTTPServer"]),
        .testTarget(name: "MarkupTests", dependencies: ["Markup"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "ModelTests", dependencies: ["Model"]),
        .testTarget(
            name: "FetchTests",
            dependencies: ["Fetch", "Model", "HTTPServer", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "FeedParseTests", dependencies: ["FeedParse", "Model"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction", "Model"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FingerprintTests", dependencies: ["Fingerprint", "Model"]),
        .testTarget(name: "ClusteringTests", dependencies: ["Clustering", "Fingerprint", "Model"]),
        .testTarget(name: "StateStoreTests", dependencies: ["StateStore", "Model"]),
        .testTarget(name: "ClusterStoreTests", dependencies: ["ClusterStore", "Model"]),
        .testTarget(name: "CLITests", dependencies: ["CLI"]),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "Model", "HTTPServer", "StateStore", "ClusterStore", "Fetch", "Clustering",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// One settings loop for every Swift target (not the system libraries).
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
