import TianpingCore

/// Maps a parsed line onto the model by hand. Each field is read by name with its type checked, so the
/// quarantine names exactly which field is missing or wrong; `JSONDecoder` remains the reference (a test
/// decodes generated data both ways and compares).
extension ExchangeRecord {
    init(json: JSONValue) throws {
        let r = try FieldReader(json, path: "")
        let rawKind = try r.string("kind")
        guard let kind = RecordKind(rawValue: rawKind) else {
            let known = RecordKind.allCases.map(\.rawValue).joined(separator: "、")
            throw Rejection(.unknownKind, "未知的记录类型 kind=\"\(rawKind)\"，允许的类型：\(known)")
        }
        let source = try r.string("source")
        let id = try r.string("id")
        let version = try r.int("version")
        let caseID = try r.optionalString("case")
        let p = try r.object("payload")
        let payload: RecordPayload
        switch kind {
        case .agency: payload = .agency(try Agency(p))
        case .case: payload = .case(try CaseRecord(p))
        case .person: payload = .person(try Person(p))
        case .event: payload = .event(try CaseEvent(p))
        case .document: payload = .document(try LegalDocument(p))
        case .evidence: payload = .evidence(try EvidenceItem(p))
        case .judgment: payload = .judgment(try Judgment(p))
        case .execution: payload = .execution(try ExecutionRecord(p))
        }
        self.init(source: source, id: id, version: version, caseID: caseID, payload: payload)
    }
}

extension Agency {
    init(_ r: FieldReader) throws {
        self.init(code: try r.string("code"), kind: try r.enumeration("kind", AgencyKind.self), name: try r.string("name"),
            region: try r.region("region"), level: try r.enumeration("level", AdministrativeLevel.self),
            parentCode: try r.optionalString("parentCode"))
    }
}

extension CaseRecord {
    init(_ r: FieldReader) throws {
        self.init(id: try r.string("id"), type: try r.enumeration("type", CaseType.self), title: try r.string("title"),
            charges: try r.stringArray("charges"), cause: try r.optionalString("cause"), region: try r.region("region"),
            acceptedAt: try r.timestamp("acceptedAt"),
            agencyNumbers: try r.objects("agencyNumbers").map {
                AgencyCaseNumber(agency: try $0.string("agency"), number: try $0.string("number"))
            },
            procedure: try r.optionalEnumeration("procedure", TrialProcedure.self), flags: try r.stringArray("flags"))
    }
}

extension Person {
    init(_ r: FieldReader) throws {
        self.init(id: try r.string("id"), role: try r.enumeration("role", PersonRole.self), name: try r.string("name"),
            idNumber: try r.optionalString("idNumber"), gender: try r.optionalEnumeration("gender", Gender.self),
            birthDate: try r.optionalDate("birthDate"), phone: try r.optionalString("phone"),
            address: try r.optionalString("address"), agency: try r.optionalString("agency"), title: try r.optionalString("title"))
    }
}

extension CaseEvent {
    init(_ r: FieldReader) throws {
        let a = try r.object("attributes")
        self.init(kind: try r.enumeration("kind", EventKind.self), occurredAt: try r.timestamp("occurredAt"),
            agency: try r.string("agency"), officer: try r.optionalString("officer"), person: try r.optionalString("person"),
            attributes: EventAttributes(
                approverLevel: try a.optionalEnumeration("approverLevel", AdministrativeLevel.self),
                approverAgency: try a.optionalString("approverAgency"), extensionDays: try a.optionalInt("extensionDays"),
                extensionMonths: try a.optionalInt("extensionMonths"), legalGround: try a.optionalString("legalGround"),
                procedure: try a.optionalEnumeration("procedure", TrialProcedure.self),
                documentNumber: try a.optionalString("documentNumber"), reason: try a.optionalString("reason"),
                recipient: try a.optionalString("recipient"), sequence: try a.optionalInt("sequence"),
                inCustody: try a.optionalBool("inCustody"), outcome: try a.optionalString("outcome")))
    }
}

extension LegalDocument {
    init(_ r: FieldReader) throws {
        self.init(type: try r.enumeration("type", DocumentType.self), title: try r.optionalString("title"),
            number: try r.optionalString("number"), issuedAt: try r.timestamp("issuedAt"), issuer: try r.string("issuer"),
            signer: try r.optionalString("signer"), text: try r.optionalString("text"), contentHash: try r.string("contentHash"))
    }
}

extension EvidenceItem {
    init(_ r: FieldReader) throws {
        self.init(category: try r.enumeration("category", EvidenceCategory.self), description: try r.string("description"),
            collectedAt: try r.timestamp("collectedAt"), collectedBy: try r.string("collectedBy"),
            collectors: try r.stringArray("collectors"), person: try r.optionalString("person"),
            recorded: try r.optionalBool("recorded"), contentHash: try r.optionalString("contentHash"))
    }
}

extension Judgment {
    init(_ r: FieldReader) throws {
        self.init(defendant: try r.string("defendant"), caseNumber: try r.string("caseNumber"), instance: try r.int("instance"),
            court: try r.string("court"), decidedAt: try r.timestamp("decidedAt"), charges: try r.stringArray("charges"),
            principalPenalty: try r.enumeration("principalPenalty", PrincipalPenalty.self),
            termMonths: try r.optionalInt("termMonths"), probationMonths: try r.optionalInt("probationMonths"),
            fineYuan: try r.optionalInt("fineYuan"), circumstances: try r.stringArray("circumstances"),
            facts: try r.optionalObject("facts").map(SentencingFacts.init))
    }
}

extension SentencingFacts {
    init(_ r: FieldReader) throws {
        self.init(amountYuan: try r.optionalNumber("amountYuan"), drugGrams: try r.optionalNumber("drugGrams"), drug: try r.optionalString("drug"),
            injury: try r.optionalEnumeration("injury", Injury.self), bloodAlcohol: try r.optionalNumber("bloodAlcohol"),
            cues: r.raw("cues") == nil ? [] : try r.stringArray("cues"))
        if let problem { throw Rejection(.schema, "字段 \(r.path)：\(problem)") }
    }
}

extension ExecutionRecord {
    init(_ r: FieldReader) throws {
        self.init(convict: try r.string("convict"), facility: try r.string("facility"), termStart: try r.date("termStart"),
            termEnd: try r.optionalDate("termEnd"),
            commutations: try r.objects("commutations").map {
                Commutation(ruledAt: try $0.timestamp("ruledAt"), rulingNumber: try $0.string("rulingNumber"),
                    reductionMonths: try $0.optionalInt("reductionMonths"), reducedToMonths: try $0.optionalInt("reducedToMonths"),
                    proposedOn: try $0.optionalDate("proposedOn"), servedOn: try $0.optionalDate("servedOn"),
                    grounds: try $0.optionalEnumeration("grounds", CommutationGrounds.self))
            },
            status: try r.string("status"), deliveredOn: try r.optionalDate("deliveredOn"),
            categories: r.raw("categories") == nil ? nil : try r.stringArray("categories"),
            parole: try r.optionalObject("parole").map {
                ParoleGrant(ruledAt: try $0.timestamp("ruledAt"), rulingNumber: try $0.string("rulingNumber"),
                    proposedOn: try $0.optionalDate("proposedOn"), servedOn: try $0.optionalDate("servedOn"))
            })
    }
}

extension ExchangeRecord {
    /// Decodes a record the store wrote (canonical JSON of an accepted record) with the fast hand-written mapping.
    public static func decodeStored(_ bytes: [UInt8]) throws -> ExchangeRecord {
        try ExchangeRecord(json: try JSONValue.parse(bytes))
    }
}
