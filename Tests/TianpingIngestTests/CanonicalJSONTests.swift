import Testing
import TianpingIngest

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: try CanonicalJSON.canonicalize(Array(text.utf8)), as: UTF8.self)
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

    @Test("malformed text is refused", arguments: [#"{"a":1"#, #"{"a" 1}"#, #"[1,]x"#, #"{"a":tru}"#, #""abc"#, #"{"a":"\x"}"#])
    func malformed(text: String) {
        #expect(throws: CanonicalJSON.Malformed.self) { try CanonicalJSON.canonicalize(Array(text.utf8)) }
    }
}
