import Foundation
import Testing
import TianpingGenerator
import TianpingRetrieval
import TianpingText

/// The generated judgments read back as real ones do: the library's reader finds the court, case number, charge,
/// articles and sentence in each, and the same number always gives the same text.
@Suite("Generated judgments")
struct JudgmentTextGeneratorTests {
    @Test("each generated judgment is read back: court and province, case number and year, one charge, its article, a sentence")
    func readBack() throws {
        let generator = JudgmentTextGenerator(seed: 3)
        #expect(generator.judgment(5) == generator.judgment(5))
        #expect(generator.judgment(5).text != generator.judgment(6).text)
        if ProcessInfo.processInfo.environment["TIANPING_PRINT_SAMPLE"] != nil { print(generator.judgment(0).text) }
        for n in 0..<300 {
            let judgment = generator.judgment(n)
            let reading = JudgmentReading(judgment)
            #expect(reading.court?.hasSuffix("人民法院") == true && reading.province == "天平省" && reading.courtLevel == .basic, "\(n)")
            #expect(reading.caseNumber?.contains("刑初") == true && (2015...2024).contains(reading.year ?? 0), "\(n)")
            #expect(reading.charges.count == 1 && judgment.title?.contains(reading.charges[0].dropLast()) == true, "\(n): \(reading.charges)")
            #expect(!reading.articles.isEmpty, "\(n)")
            let defendant = try #require(reading.defendants.first, "\(n)")
            #expect(defendant.principalPenalty == "有期徒刑" || defendant.principalPenalty == "拘役", "\(n)")
            #expect((defendant.termMonths ?? 0) > 0, "\(n): \(judgment.text)")
            #expect(JudgmentReading.section(reading.facts, of: judgment.text).hasPrefix("经审理查明"), "\(n)")
        }
    }
}
