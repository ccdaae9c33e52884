import ArgumentParser
import Foundation
import TianpingGenerator

/// `tianping generate`: a deterministic synthetic province with planted violations.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "生成虚构省份的合成案件数据（确定性，含已知违规与 ground-truth.jsonl）",
        discussion: """
            Writes DIR/agencies.jsonl, DIR/cases-NNNNN.jsonl, DIR/ground-truth.jsonl and DIR/manifest.json.
            The same --cases and --seed always give byte-identical files.
            Example: tianping generate --cases 20000 --seed 7 --output demo-data
            """)

    @Option(help: "Number of cases.") var cases: Int
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Output directory.") var output: String
    @Option(help: "Share of cases with one planted violation (0–1).") var violationRate: Double = 0.05

    func validate() throws {
        guard cases > 0 else { throw ValidationError("--cases 必须为正整数") }
        guard (0...1).contains(violationRate) else { throw ValidationError("--violation-rate 应在 0 到 1 之间") }
    }

    func run() async throws {
        let started = Date()
        let bar = ProgressBar(label: "生成案件", total: cases)
        let manifest = try await ProvinceGenerator(
            GeneratorConfiguration(cases: cases, seed: seed, violationRate: violationRate)
        ).write(to: URL(fileURLWithPath: output)) { bar.update($0, unit: "件") }
        bar.finish()
        let seconds = Date().timeIntervalSince(started)
        print("已生成 \(manifest.cases) 件案件、\(manifest.records) 条记录，写入 \(output)（\(String(format: "%.1f", seconds)) 秒）")
        print("已埋设违规 \(manifest.violations.values.reduce(0, +)) 处，见 \(output)/ground-truth.jsonl")
    }
}
