import Crypto
import TianpingCore

/// SHA-256 over bytes as they stream past, hex-encoded at the end.
struct StreamingSHA256 {
    private var hasher = SHA256()

    mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    mutating func finalizeHex() -> String { ContentHash.hex(hasher.finalize()) }
}

/// SHA-256 content hashes as 64 lower-case hex characters, the form used throughout the platform.
public enum ContentHash {
    /// The hash of some bytes.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(SHA256.hash(data: Array(bytes)))
    }

    /// The hash of a string's UTF-8 bytes.
    public static func sha256Hex(_ text: String) -> String { sha256Hex(Array(text.utf8)) }

    static func hex(_ digest: some Sequence<UInt8>) -> String { JSONText.hex(digest) }
}
