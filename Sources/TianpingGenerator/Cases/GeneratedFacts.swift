import Crypto
import TianpingCore

/// Sentencing facts of a generated judgment (the exchange format's `facts`).
struct GeneratedFacts {
    var amountYuan: Int?
    var drug: String?
    var drugGrams: Int?
    var injury: String?
    var bloodAlcohol: Int?
    var cues: [String] = []
}
