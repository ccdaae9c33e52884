import TianpingCore
import TianpingRules

/// Charts drawn on the server as SVG: readable without JavaScript, printable, and with every value written as
/// text beside its bar (and in the SVG's title) for screen readers.
enum Charts {
    struct Bar {
        var label: String
        var value: Int
        var color: String = "#0b4f8a"
        var href: String? = nil
    }

    /// Horizontal bars, one row per label, the value printed after the bar.
    static func bars(_ bars: [Bar], labelledBy id: String, labelWidth: Int = 150) -> String {
        guard !bars.isEmpty else { return "<p class=\"muted\">暂无数据</p>" }
        // A label longer than its column wraps onto a second line (a rule's full Chinese name, never cut to a code);
        // beyond two lines it ends in "…", and the bar's tooltip keeps the whole text.
        let perLine = max(4, (labelWidth - 6) / 13)
        let lines = bars.map { Self.wrap($0.label, perLine: perLine) }
        let rowHeight = lines.contains { $0.count > 1 } ? 36 : 24
        let width = 520
        let barSpace = width - labelWidth - 70
        let maximum = max(1, bars.map(\.value).max() ?? 1)
        var svg = "<svg role=\"img\" aria-labelledby=\"\(id)\" viewBox=\"0 0 \(width) \(bars.count * rowHeight + 8)\" width=\"100%\" "
            + "xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\">"
        for (i, bar) in bars.enumerated() {
            let y = i * rowHeight + 4 + (rowHeight - 24) / 2
            let length = max(bar.value > 0 ? 2 : 0, bar.value * barSpace / maximum)
            let label = escape(bar.label)
            let text = lines[i].count == 1
                ? "<text x=\"\(labelWidth - 6)\" y=\"\(y + 16)\" text-anchor=\"end\" fill=\"#1a1a1a\">\(escape(lines[i][0]))</text>"
                : "<text x=\"\(labelWidth - 6)\" y=\"\(y + 9)\" text-anchor=\"end\" fill=\"#1a1a1a\">"
                    + "<tspan x=\"\(labelWidth - 6)\">\(escape(lines[i][0]))</tspan><tspan x=\"\(labelWidth - 6)\" dy=\"15\">\(escape(lines[i][1]))</tspan></text>"
            var row = "<g><title>\(label)：\(bar.value)</title>" + text
                + "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"16\" fill=\"\(bar.color)\"/>"
                + "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 16)\" fill=\"#1a1a1a\">\(bar.value)</text></g>"
            if let href = bar.href { row = "<a href=\"\(escape(href))\">" + row + "</a>" }
            svg += row
        }
        return svg + "</svg>"
    }

    /// A label in at most two lines of `perLine` characters, the second ending in "…" when the text is longer.
    static func wrap(_ label: String, perLine: Int) -> [String] {
        guard label.count > perLine else { return [label] }
        let first = String(label.prefix(perLine))
        let rest = label.dropFirst(perLine)
        return [first, rest.count > perLine ? String(rest.prefix(perLine - 1)) + "…" : String(rest)]
    }

    /// Columns over time (the monthly trend), each labelled with its month and value.
    static func columns(_ points: [(String, Int)], labelledBy id: String) -> String {
        guard !points.isEmpty else { return "<p class=\"muted\">暂无数据</p>" }
        let width = 520
        let height = 200
        let step = (width - 20) / points.count
        let maximum = max(1, points.map(\.1).max() ?? 1)
        var svg = "<svg role=\"img\" aria-labelledby=\"\(id)\" viewBox=\"0 0 \(width) \(height + 40)\" width=\"100%\" "
            + "xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">"
            + "<line x1=\"10\" y1=\"\(height)\" x2=\"\(width - 10)\" y2=\"\(height)\" stroke=\"#555\"/>"
        for (i, point) in points.enumerated() {
            let h = max(point.1 > 0 ? 2 : 0, point.1 * (height - 30) / maximum)
            let x = 10 + i * step + step / 6
            let w = step * 2 / 3
            let label = escape(point.0)
            // `2026年1月` on two lines under its column: the month, then the year.
            let parts = point.0.split(separator: "年", maxSplits: 1).map(String.init)
            let short = parts.count == 2
                ? "<tspan x=\"\(x + w / 2)\">\(escape(parts[1]))</tspan><tspan x=\"\(x + w / 2)\" dy=\"13\">\(escape(parts[0]))年</tspan>"
                : label
            svg += "<g><title>\(label)：\(point.1)</title><rect x=\"\(x)\" y=\"\(height - h)\" width=\"\(w)\" height=\"\(h)\" fill=\"#0b4f8a\"/>"
                + "<text x=\"\(x + w / 2)\" y=\"\(height - h - 4)\" text-anchor=\"middle\" fill=\"#1a1a1a\">\(point.1)</text>"
                + "<text x=\"\(x + w / 2)\" y=\"\(height + 16)\" text-anchor=\"middle\" fill=\"#1a1a1a\">\(short)</text></g>"
        }
        return svg + "</svg>"
    }

    /// A case's statutory clocks on one time axis: the legal period as a light bar, the time actually taken as a
    /// dark one (red past the deadline), a running clock's days left written beside it.
    static func timeline(_ stages: [StageBar], names: [String: String], asOf: Timestamp, labelledBy id: String) -> String {
        guard let start = stages.map(\.startedAt).min() else { return "<p class=\"muted\">暂无可计算的法定期限</p>" }
        let end = max(stages.map { max($0.dueAt, $0.endedAt ?? asOf) }.max() ?? start, start)
        let labelWidth = 220
        let width = 900
        let plot = width - labelWidth - 120
        let rowHeight = 26
        let scale = TimelineScale(stages.flatMap { [$0.startedAt, $0.dueAt, $0.endedAt ?? asOf] }.map(\.secondsSinceEpoch))
        func x(_ t: Timestamp) -> Int { labelWidth + Int((scale.position(t.secondsSinceEpoch) * Double(plot)).rounded()) }
        let height = stages.count * rowHeight + 30
        var svg = "<svg role=\"img\" aria-labelledby=\"\(id)\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" "
            + "xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">"
            + "<text x=\"\(labelWidth)\" y=\"14\" fill=\"#555\">\(escape(ChineseDates.day(start)))</text>"
            + "<text x=\"\(labelWidth + plot)\" y=\"14\" text-anchor=\"end\" fill=\"#555\">\(escape(ChineseDates.day(end)))</text>"
        // Each long quiet stretch is drawn short, marked by a break with its true length.
        for gap in scale.breaks {
            let mid = labelWidth + Int((scale.position(gap.from + (gap.to - gap.from) / 2) * Double(plot)).rounded())
            svg += "<g><title>时间轴在此压缩：实际间隔 \(days(gap.to - gap.from))</title>"
                + "<line x1=\"\(mid - 3)\" y1=\"18\" x2=\"\(mid - 3)\" y2=\"\(height)\" stroke=\"#999\" stroke-dasharray=\"3 3\"/>"
                + "<line x1=\"\(mid + 3)\" y1=\"18\" x2=\"\(mid + 3)\" y2=\"\(height)\" stroke=\"#999\" stroke-dasharray=\"3 3\"/>"
                + "<text x=\"\(mid)\" y=\"28\" text-anchor=\"middle\" fill=\"#555\" font-size=\"10\">≈\(escape(days(gap.to - gap.from)))</text></g>"
        }
        for (i, stage) in stages.enumerated() {
            let y = 22 + i * rowHeight
            let label = escape("\(stage.ruleID) \(names[stage.ruleID] ?? stage.action)")
            let legalEnd = x(stage.dueAt)
            let actualEnd = x(stage.endedAt ?? asOf)
            let late = stage.status == .late || stage.status == .runningOverdue
            let note: String
            switch stage.status {
            case .onTime: note = "按期"
            case .late: note = "超期 " + days(stage.endedAt!.secondsSinceEpoch - stage.dueAt.secondsSinceEpoch)
            case .running: note = "剩余 " + days(stage.secondsLeft ?? 0)
            case .runningOverdue: note = "已超期 " + days(-(stage.secondsLeft ?? 0))
            }
            svg += "<g><title>\(label)：\(escape(note))</title>"
                + "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\" fill=\"#1a1a1a\">\(label)</text>"
                + "<rect x=\"\(x(stage.startedAt))\" y=\"\(y + 2)\" width=\"\(max(2, legalEnd - x(stage.startedAt)))\" height=\"18\" fill=\"#cfdcec\"/>"
                + "<rect x=\"\(x(stage.startedAt))\" y=\"\(y + 7)\" width=\"\(max(2, min(actualEnd, legalEnd) - x(stage.startedAt)))\" height=\"8\" fill=\"#0b4f8a\"/>"
            if late { svg += "<rect x=\"\(legalEnd)\" y=\"\(y + 7)\" width=\"\(max(2, actualEnd - legalEnd))\" height=\"8\" fill=\"#b00020\"/>" }
            svg += "<text x=\"\(max(actualEnd, legalEnd) + 6)\" y=\"\(y + 15)\" fill=\"\(late ? "#b00020" : "#1a1a1a")\">\(escape(note))</text></g>"
        }
        return svg + "</svg>"
    }

    /// Whole days (rounded up) or hours when under a day.
    static func days(_ seconds: Int64) -> String {
        seconds < 86_400 ? "\(max(0, (seconds + 3_599) / 3_600)) 小时" : "\((seconds + 86_399) / 86_400) 天"
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}

/// The time axis of a case's timeline: linear, except that a quiet stretch longer than 30 days and than four times the
/// median stretch — no clock starts, falls due or ends inside it — is drawn at that length and marked as a break. A
/// 2,097-day execution clock then no longer flattens a 24-hour clock to a pixel; the true lengths are written beside
/// every bar and on each break.
struct TimelineScale {
    let points: [Int64]
    /// Drawn length of each interval between consecutive points.
    let drawn: [Double]
    let total: Double
    let breaks: [(from: Int64, to: Int64)]

    init(_ instants: [Int64]) {
        let points = Array(Set(instants)).sorted()
        self.points = points
        let lengths = zip(points, points.dropFirst()).map { $1 - $0 }.sorted()
        let median = lengths.isEmpty ? 0 : lengths[lengths.count / 2]
        let cap = max(Int64(30 * 86_400), 4 * median)
        var drawn: [Double] = []
        var breaks: [(Int64, Int64)] = []
        for (a, b) in zip(points, points.dropFirst()) {
            if b - a > cap {
                drawn.append(Double(cap))
                breaks.append((a, b))
            } else {
                drawn.append(Double(b - a))
            }
        }
        self.drawn = drawn
        self.total = max(1, drawn.reduce(0, +))
        self.breaks = breaks
    }

    /// Where an instant falls, from 0 (the first point) to 1 (the last).
    func position(_ t: Int64) -> Double {
        guard let first = points.first, t > first else { return 0 }
        var offset = 0.0
        for (i, (a, b)) in zip(points, points.dropFirst()).enumerated() {
            if t <= b { return (offset + drawn[i] * Double(t - a) / Double(max(1, b - a))) / total }
            offset += drawn[i]
        }
        return 1
    }
}
