import Foundation
import Crypto
import HummingbirdBcrypt

/// Password hashing and generation. bcrypt (cost 12) because a stolen user table must not give passwords back.
public enum Passwords {
    /// Shortest password accepted when a person chooses one.
    public static let minimumLength = 12

    public static func hash(_ password: String, cost: UInt8 = 12) -> String { Bcrypt.hash(password, cost: cost) }

    public static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A random password of 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
    public static func generate() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Why a chosen password is refused, or `nil`.
    public static func weakness(_ password: String) -> String? {
        if password.count < minimumLength { return "密码至少 \(minimumLength) 个字符" }
        if Set(password).count < 5 { return "密码重复字符过多" }
        return nil
    }
}

/// Random secrets for sessions, CSRF and API tokens, and the hash under which they are stored.
public enum Secrets {
    /// 32 random bytes as URL-safe base64 without padding (cookie- and header-safe).
    public static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A secret's stored form: tokens are random, so a fast hash is enough and the secret itself is never stored.
    public static func digest(_ secret: String) -> String { SecretDigest.sha256Hex(secret) }
}

enum SecretDigest {
    /// Lower-case hex of the SHA-256 of `text`. Written digit by digit: `String(format:)` per byte cost more than the
    /// hash itself, and this runs for every session cookie and, at ingest, for every search term.
    static func sha256Hex(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(text.utf8)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
