import Foundation

/// An instant with the UTC offset it was recorded in: `2024-03-05T09:30:00+08:00`.
///
/// Procedural clocks are counted in the local calendar of the acting agency (CPL Art. 105), so the
/// offset is kept rather than normalised away. Exchange records must state an offset (`Z` or `±hh:mm`);
/// a local time without one is ambiguous and rejected.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int64
    /// Offset from UTC in seconds (China Standard Time is +28,800).
    public let utcOffsetSeconds: Int32

    /// China Standard Time, +08:00.
    public static let chinaOffset: Int32 = 8 * 3600

    public init(secondsSinceEpoch: Int64, utcOffsetSeconds: Int32 = Timestamp.chinaOffset) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// The current second, in China Standard Time, from the machine's clock. Code that a test may want to move in
    /// time takes a ``PlatformClock`` instead.
    public static func now() -> Timestamp { SystemClock().now() }

    /// Local wall-clock time in a given offset.
    public init?(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
        utcOffsetSeconds: Int32 = Timestamp.chinaOffset
    ) {
        guard CalendarDate(year: year, month: month, day: day) != nil,
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = Int64(CivilCalendar.dayNumber(year: year, month: month, day: day))
        let local = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(secondsSinceEpoch: local - Int64(utcOffsetSeconds), utcOffsetSeconds: utcOffsetSeconds)
    }

    /// Parses RFC 3339 (`yyyy-MM-ddTHH:mm:ss[.fff](Z|±hh:mm)`); the offset is mandatory.
    public init?(_ text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count >= 20 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for i in from..<(from + len) {
                let c = u[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard u[4] == 45, u[7] == 45, u[10] == 84 || u[10] == 32, u[13] == 58, u[16] == 58,
            let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2),
            let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2)
        else { return nil }
        var i = 19
        if i < u.count, u[i] == 46 {  // fractional seconds are accepted and dropped
            i += 1
            let start = i
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            guard i > start else { return nil }
        }
        guard i < u.count else { return nil }
        let offset: Int32
        if u[i] == 90 || u[i] == 122 {  // Z
            guard i + 1 == u.count else { return nil }
            offset = 0
        } else if u[i] == 43 || u[i] == 45 {
            guard i + 6 == u.count, u[i + 3] == 58, let oh = num(i + 1, 2), let om = num(i + 4, 2),
                oh <= 14, om <= 59
            else { return nil }
            offset = Int32((oh * 3600 + om * 60) * (u[i] == 45 ? -1 : 1))
        } else {
            return nil
        }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: min(s, 59), utcOffsetSeconds: offset)
    }

    /// Seconds since the epoch shifted into local wall-clock time.
    var localSeconds: Int64 { secondsSinceEpoch + Int64(utcOffsetSeconds) }

    /// The local calendar date in the recorded offset.
    public var localDate: CalendarDate {
        CalendarDate(dayNumber: Int(floorDiv(localSeconds, 86_400)))
    }

    /// Local hour of day (0–23).
    public var localHour: Int { Int(floorMod(localSeconds, 86_400) / 3600) }

    /// The same instant `seconds` later.
    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(secondsSinceEpoch: secondsSinceEpoch + seconds, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// RFC 3339 text in the recorded offset.
    public var description: String {
        let date = localDate
        let secondOfDay = Int(floorMod(localSeconds, 86_400))
        var text = date.description + "T" + FixedWidth.pad(secondOfDay / 3600, 2) + ":"
        text += FixedWidth.pad(secondOfDay / 60 % 60, 2) + ":" + FixedWidth.pad(secondOfDay % 60, 2)
        if utcOffsetSeconds == 0 { return text + "Z" }
        let magnitude = Int(abs(utcOffsetSeconds))
        text += utcOffsetSeconds < 0 ? "-" : "+"
        return text + FixedWidth.pad(magnitude / 3600, 2) + ":" + FixedWidth.pad(magnitude / 60 % 60, 2)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    public static func == (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.secondsSinceEpoch == rhs.secondsSinceEpoch && lhs.utcOffsetSeconds == rhs.utcOffsetSeconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(secondsSinceEpoch)
        hasher.combine(utcOffsetSeconds)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "不是带时区的有效时间（应为 RFC 3339，如 2024-03-05T09:30:00+08:00）：\(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
@inline(__always) func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
