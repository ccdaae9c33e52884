import TianpingCore

/// Writes exchange-format lines straight into bytes. Generating twenty million records through
/// `JSONEncoder` would take most of the two-minute budget on its own.
struct JSONLineBuffer {
    var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    init(capacity: Int = 1 << 20) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(44) } else { needsComma[needsComma.count - 1] = true }
    }

    mutating func beginObject() {
        bytes.append(123)
        needsComma.append(false)
    }

    mutating func endObject() {
        bytes.append(125)
        needsComma.removeLast()
    }

    mutating func beginArray(_ key: StaticString) {
        self.key(key)
        bytes.append(91)
        needsComma.append(false)
    }

    mutating func endArray() {
        bytes.append(93)
        needsComma.removeLast()
    }

    /// An object as an array element.
    mutating func beginElementObject() {
        separator()
        beginObject()
    }

    mutating func beginObject(_ key: StaticString) {
        self.key(key)
        beginObject()
    }

    mutating func key(_ k: StaticString) {
        separator()
        bytes.append(34)
        raw(k)
        bytes.append(34)
        bytes.append(58)
    }

    mutating func string(_ k: StaticString, _ v: String) {
        key(k)
        appendString(v)
    }

    mutating func string(_ k: StaticString, _ v: String?) {
        guard let v else { return }
        string(k, v)
    }

    mutating func int(_ k: StaticString, _ v: Int) {
        key(k)
        appendInt(v)
    }

    mutating func int(_ k: StaticString, _ v: Int?) {
        guard let v else { return }
        int(k, v)
    }

    mutating func bool(_ k: StaticString, _ v: Bool) {
        key(k)
        if v { raw("true") } else { raw("false") }
    }

    /// An array element that is a string.
    mutating func element(_ v: String) {
        separator()
        appendString(v)
    }

    /// A local time in China Standard Time, written as RFC 3339 with `+08:00`.
    mutating func time(_ k: StaticString, _ t: LocalTime) {
        key(k)
        bytes.append(34)
        let d = CivilCalendar.date(fromDayNumber: Int(t.seconds / 86_400))
        appendPadded(d.year, 4)
        bytes.append(45)
        appendPadded(d.month, 2)
        bytes.append(45)
        appendPadded(d.day, 2)
        bytes.append(84)
        let s = Int(t.seconds % 86_400)
        appendPadded(s / 3600, 2)
        bytes.append(58)
        appendPadded(s / 60 % 60, 2)
        bytes.append(58)
        appendPadded(s % 60, 2)
        raw("+08:00\"")
    }

    mutating func date(_ k: StaticString, day: Int) {
        key(k)
        bytes.append(34)
        let d = CivilCalendar.date(fromDayNumber: day)
        appendPadded(d.year, 4)
        bytes.append(45)
        appendPadded(d.month, 2)
        bytes.append(45)
        appendPadded(d.day, 2)
        bytes.append(34)
    }

    mutating func newline() { bytes.append(10) }

    mutating func appendInt(_ v: Int) {
        if v < 0 {
            bytes.append(45)
            appendInt(-v)
            return
        }
        if v >= 10 { appendInt(v / 10) }
        bytes.append(UInt8(48 + v % 10))
    }

    mutating func appendPadded(_ v: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = v
        while divisor > 0 {
            bytes.append(UInt8(48 + (rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    mutating func appendString(_ s: String) { JSONText.appendQuoted(s, to: &bytes) }
}

/// Seconds since 1970-01-01 00:00 in China Standard Time (local wall-clock seconds).
struct LocalTime: Comparable, Hashable {
    var seconds: Int64

    init(seconds: Int64) { self.seconds = seconds }

    init(day: Int, hour: Int, minute: Int = 0) {
        seconds = Int64(day) * 86_400 + Int64(hour * 3600 + minute * 60)
    }

    var day: Int { Int(seconds / 86_400) }

    func plus(hours: Int, minutes: Int = 0) -> LocalTime { LocalTime(seconds: seconds + Int64(hours * 3600 + minutes * 60)) }

    static func < (a: LocalTime, b: LocalTime) -> Bool { a.seconds < b.seconds }
}
