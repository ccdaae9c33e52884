// swift-tools-version:6.0
import PackageDescription

/// Settings every target shares, applied in one loop below (as swift-log does).
let sharedSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Tianping",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tianping", targets: ["tianping"]),
        .library(name: "TianpingCore", targets: ["TianpingCore"]),
        .library(name: "TianpingIngest", targets: ["TianpingIngest"]),
        .library(name: "TianpingGenerator", targets: ["TianpingGenerator"]),
        .library(name: "TianpingRules", targets: ["TianpingRules"]),
        .library(name: "TianpingLedger", targets: ["TianpingLedger"]),
        .library(name: "TianpingWorkflow", targets: ["TianpingWorkflow"]),
        .library(name: "TianpingAccess", targets: ["TianpingAccess"]),
        .library(name: "TianpingStore", targets: ["TianpingStore"]),
        .library(name: "TianpingServer", targets: ["TianpingServer"]),
        .library(name: "TianpingText", targets: ["TianpingText"]),
        .library(name: "TianpingSentencing", targets: ["TianpingSentencing"]),
        .library(name: "TianpingAnalysis", targets: ["TianpingAnalysis"]),
        .library(name: "TianpingDocuments", targets: ["TianpingDocuments"]),
        .library(name: "TianpingRetrieval", targets: ["TianpingRetrieval"]),
        .library(name: "TianpingExecution", targets: ["TianpingExecution"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.30.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.10.0"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.14.0"),
    ],
    targets: [
        // The domain model and the exchange format. Foundation only: no server, no database.
        .target(name: "TianpingCore"),
        // Validation of exchange records, versioned idempotent merge decisions, quarantine reasons.
        .target(
            name: "TianpingIngest",
            dependencies: [
                "TianpingCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Deterministic synthetic province: agencies, cases, timelines, planted violations.
        .target(
            name: "TianpingGenerator",
            dependencies: [
                "TianpingCore",
                "TianpingRetrieval",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Procedural risk engine: rule packs as data, statutory clocks, findings, early warnings. Core only.
        .target(
            name: "TianpingRules",
            dependencies: ["TianpingCore"],
            resources: [.copy("Resources")]
        ),
        // Facts from Chinese legal text: numbers and sums in every written form, terms, a judgment's sentences and
        // circumstances. Foundation only.
        .target(name: "TianpingText"),
        // Sentencing knowledge graph as data, the step-by-step calculator, deviation findings, and the CAIL2018 term
        // score. Core, Rules (for findings) and Text (facts from judgments) only.
        .target(
            name: "TianpingSentencing",
            dependencies: ["TianpingCore", "TianpingRules", "TianpingText", "TianpingRetrieval"],
            resources: [.copy("Resources")]
        ),
        // Commutation, parole and out-of-prison execution (减刑、假释、暂予监外执行): SPC-2016/2019's tables as data, the
        // calculator with its cited trace, and the checks of a proposal. Core, Rules (grades) and Text (terms as written).
        .target(
            name: "TianpingExecution",
            dependencies: ["TianpingCore", "TianpingRules", "TianpingText"],
            resources: [.copy("Resources")]
        ),
        // Tamper-evident log: RFC 9162 Merkle tree, proofs, signed checkpoints (C2SP signed-note). Crypto only.
        .target(
            name: "TianpingLedger",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // Roles, permissions, data scopes, masking, password and secret handling. No server, no database.
        .target(
            name: "TianpingAccess",
            dependencies: [
                "TianpingCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        // Similar-case retrieval (类案检索): the judgment library's reading of each judgment, an on-disk index of character
        // bigrams with the legal elements as fields, ranking, explanations and the LeCaRD evaluation. Text only.
        .target(name: "TianpingRetrieval", dependencies: ["TianpingText"]),
        // Documents the platform issues (督办通知书 …) as GB/T 9704 layouts and small deterministic PDF files.
        // Foundation only.
        .target(name: "TianpingDocuments"),
        // The closed risk loop: warnings aggregated and graded from findings, their lifecycle and step deadlines.
        .target(name: "TianpingWorkflow", dependencies: ["TianpingCore", "TianpingRules", "TianpingAccess"]),
        // Persistence written once on sql-kit: SQLite (embedded default) and PostgreSQL.
        .target(
            name: "TianpingStore",
            dependencies: [
                "TianpingCore",
                "TianpingAccess",
                "TianpingIngest",
                "TianpingLedger",
                "TianpingRetrieval",
                "TianpingRules",
                "TianpingSentencing",
                "TianpingWorkflow",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The analysis pipeline every front end and test calls: each engine through one protocol, findings reconciled
        // and warnings aggregated in the store, cohort leads, and the background jobs (escalation, ledger upkeep).
        .target(
            name: "TianpingAnalysis",
            dependencies: [
                "TianpingCore",
                "TianpingExecution",
                "TianpingLedger",
                "TianpingRules",
                "TianpingSentencing",
                "TianpingStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP application: JSON API, OpenAPI document, the Chinese workbench (mustache), event stream and
        // webhooks. Thin over the store.
        .target(
            name: "TianpingServer",
            dependencies: [
                "TianpingAccess",
                "TianpingCore",
                "TianpingDocuments",
                "TianpingExecution",
                "TianpingLedger",
                "TianpingRetrieval",
                "TianpingRules",
                "TianpingSentencing",
                "TianpingStore",
                "TianpingText",
                "TianpingWorkflow",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        // The `tianping` command: wiring only.
        .executableTarget(
            name: "tianping",
            dependencies: [
                "TianpingAccess",
                "TianpingAnalysis",
                "TianpingCore",
                "TianpingExecution",
                "TianpingIngest",
                "TianpingGenerator",
                "TianpingLedger",
                "TianpingRules",
                "TianpingStore",
                "TianpingSentencing",
                "TianpingRetrieval",
                "TianpingServer",
                "TianpingText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "TianpingCoreTests", dependencies: ["TianpingCore"]),
        .testTarget(name: "TianpingIngestTests", dependencies: ["TianpingCore", "TianpingIngest"]),
        .testTarget(name: "TianpingGeneratorTests", dependencies: ["TianpingCore", "TianpingGenerator", "TianpingIngest"]),
        .testTarget(name: "TianpingRulesTests", dependencies: ["TianpingCore", "TianpingRules"]),
        .testTarget(name: "TianpingLedgerTests", dependencies: ["TianpingLedger"]),
        .testTarget(name: "TianpingDocumentsTests", dependencies: ["TianpingDocuments"]),
        .testTarget(name: "TianpingTextTests", dependencies: ["TianpingText"]),
        .testTarget(name: "TianpingRetrievalTests", dependencies: ["TianpingRetrieval", "TianpingText"]),
        .testTarget(name: "TianpingExecutionTests", dependencies: ["TianpingCore", "TianpingExecution", "TianpingRules"]),
        .testTarget(name: "TianpingSentencingTests", dependencies: ["TianpingCore", "TianpingRules", "TianpingSentencing"]),
        .testTarget(name: "TianpingWorkflowTests", dependencies: ["TianpingCore", "TianpingRules", "TianpingAccess", "TianpingWorkflow"]),
        .testTarget(
            name: "TianpingStoreTests",
            dependencies: ["TianpingAccess", "TianpingAnalysis", "TianpingCore", "TianpingIngest", "TianpingGenerator", "TianpingLedger",
                "TianpingRetrieval", "TianpingRules", "TianpingSentencing", "TianpingStore", "TianpingText", "TianpingWorkflow"]
        ),
        .testTarget(
            name: "TianpingServerTests",
            dependencies: [
                "TianpingAccess", "TianpingAnalysis", "TianpingCore", "TianpingGenerator", "TianpingIngest", "TianpingLedger",
                "TianpingRules", "TianpingSentencing", "TianpingStore", "TianpingServer", "TianpingWorkflow",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
            ]
        ),
        // Runs the built `tianping` as a user would; Snapshots/ holds each command's --help, read by path.
        .testTarget(name: "TianpingCLITests", dependencies: ["TianpingCore"], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + sharedSwiftSettings
}
