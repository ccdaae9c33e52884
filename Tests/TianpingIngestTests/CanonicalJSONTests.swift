import Foundation
import Testing
import TianpingCore
import TianpingIngest

@Suite("JSON parsing and canonical form")
struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: try JSONValue.parse(Array(text.utf8)).canonicalBytes, as: UTF8.self)
    }

    @Test("key order, spacing and escapes do not change the canonical form")
    func equivalentForms() throws {
        let a = try canonical(#"{"b":1,"a":{"y":[1,2,{"q":true,"p":null}],"x":"张三"}}"#)
        let b = try canonical(" { \"a\" : { \"x\" : \"\\u5f20\\u4e09\" , \"y\" : [ 1 , 2 , { \"p\" : null , \"q\" : true } ] } , \"b\" : 1 } ")
        #expect(a == b)
        #expect(a == #"{"a":{"x":"张三","y":[1,2,{"p":null,"q":true}]},"b":1}"#)
    }

    @Test("strings keep only the escapes JSON needs; surrogate pairs become one character")
    func strings() throws {
        #expect(try canonical(#"["a\/b","q\"t","tab\t","\ud83d\ude00"]"#) == "[\"a/b\",\"q\\\"t\",\"tab\\t\",\"😀\"]")
    }

    @Test("malformed text is refused", arguments: [
        #"{"a":1"#, #"{"a" 1}"#, #"[1,]x"#, #"{"a":tru}"#, #""abc"#, #"{"a":"\x"}"#, #"{"a":1,"a":2}"#, #"[01.]"#,
        #""\ud800""#, String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func malformed(text: String) {
        #expect(throws: JSONValue.Malformed.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test("the hand-written decoder reads generated data exactly as Foundation's JSONDecoder does")
    func sameAsFoundation() throws {
        let decoder = RecordDecoder(now: Fixture.now)
        var lines = Fixture.cleanLines
        lines.append(#"{"kind":"event","source":"520102GA01","id":"E9","version":1.0,"case":"TP52010220240000001","payload":{"kind":"detained","occurredAt":"2024-03-02T10:00:00+08:00","agency":"520102GA01","officer":null,"attributes":{"inCustody":true,"sequence":2}}}"#)
        for line in lines {
            let fast = try decoder.decode(Array(line.utf8)).get().record
            let reference = try JSONDecoder().decode(ExchangeRecord.self, from: Data(line.utf8))
            #expect(fast == reference, "\(line.prefix(80))")
        }
    }
}
