import Foundation
import TianpingGenerator

/// Runs the generator for commands other than `generate` (demo data, benchmarks).
enum ProvinceGeneratorRunner {
    static func generate(cases: Int, seed: UInt64, violationRate: Double = 0.05, into directory: URL,
        progress: (@Sendable (Int) -> Void)? = nil) async throws -> GenerationManifest
    {
        try await ProvinceGenerator(GeneratorConfiguration(cases: cases, seed: seed, violationRate: violationRate))
            .write(to: directory, progress: progress)
    }
}
