import AdrecsDomain
import Testing

@Suite("DailyModelRun")
struct DailyModelRunTests {
    static let ids = "advertiser_id\r\nA\r\nB\r\n"
    static let productViews = """
        advertiser_id,product_id,date\r
        A,p1,2024-11-20\r
        A,p2,2024-11-20\r
        A,p1,2024-11-20\r
        B,p1,2024-11-20\r
        X,p1,2024-11-20\r
        A,p3,2024-11-21\r
        \r
        A,p1\r
        ,p1,2024-11-20\r
        A,,2024-11-20\r
        A,p1,2024-11-20 \r
        A,p4,2024-11-20
        """
    static let adsViews = """
        advertiser_id,product_id,type,date
        A,p1,impression,2024-11-20
        A,p1,click,2024-11-20
        A,p2,impression,2024-11-20
        B,p9,click,2024-11-20
        X,p1,impression,2024-11-20
        A,p1,impression,2024-11-21
        A,p1,view,2024-11-20

        A,p1,click,2024-02-30
        A,p1,click,2024-11-20,x

        """

    static func run(_ selection: DaySelection, pvChunks: [[UInt8]], adChunks: [[UInt8]]) -> [DayResult] {
        DailyModelRun.compute(
            selection: selection, advertiserIds: [Array(ids.utf8)], productViews: pvChunks, adsViews: adChunks
        )
    }

    @Test func rowsAndStatisticsOfOneDay() throws {
        let results = Self.run(.single(Fixtures.day), pvChunks: [Array(Self.productViews.utf8)], adChunks: [Array(Self.adsViews.utf8)])
        let result = try #require(results.first)
        #expect(results.count == 1 && result.day == Fixtures.day)
        let csv = result.recommendations.map(RecommendationCSV.line)
        #expect(csv == [
            "2024-11-20,A,TopCTR,1,p1,,1,1,1.0",
            "2024-11-20,A,TopCTR,2,p2,,1,0,0.0",
            "2024-11-20,A,TopProduct,1,p1,2,,,",
            "2024-11-20,A,TopProduct,2,p2,1,,,",
            "2024-11-20,A,TopProduct,3,p4,1,,,",
            "2024-11-20,B,TopProduct,1,p1,1,,,",
        ])
        let pv = result.statistics.productViews
        #expect(pv.linesRead == 12 && pv.validRows == 7)
        #expect(pv.malformed == [.blankLine: 1, .fieldCount: 1, .emptyAdvertiserId: 1, .emptyProductId: 1, .badDate: 1])
        #expect(pv.rowsOnDate == 6 && pv.rowsKept == 5 && pv.rowsDroppedInactive == 1)
        let ads = result.statistics.adsViews
        #expect(ads.linesRead == 10 && ads.validRows == 6)
        #expect(ads.malformed == [.blankLine: 1, .fieldCount: 1, .badDate: 1, .badType: 1])
        #expect(ads.rowsOnDate == 5 && ads.rowsKept == 4 && ads.rowsDroppedInactive == 1)
        #expect(result.statistics.anomalies.clickedWithoutImpressionProducts == 1)
        #expect(result.statistics.anomalies.clickedWithoutImpressionClicks == 1)
        #expect(result.statistics.advertiserIds.active == 2)
        #expect(result.statistics.shortLists.topCTR == ["A": 2, "B": 0])
    }

    @Test func everyDateMode() throws {
        let results = Self.run(.all, pvChunks: [Array(Self.productViews.utf8)], adChunks: [Array(Self.adsViews.utf8)])
        #expect(results.map(\.day.description) == ["2024-11-20", "2024-11-21"])
        let second = results[1].recommendations.map(RecommendationCSV.line)
        #expect(second == ["2024-11-21,A,TopCTR,1,p1,,1,0,0.0", "2024-11-21,A,TopProduct,1,p3,1,,,"])
        let single = Self.run(.single(Fixtures.day), pvChunks: [Array(Self.productViews.utf8)], adChunks: [Array(Self.adsViews.utf8)])
        #expect(results[0] == single[0])
    }

    @Test func aDayWithoutRowsGivesAnEmptyResult() throws {
        let results = Self.run(.single(try #require(Day("2030-01-01"))), pvChunks: [Array(Self.productViews.utf8)], adChunks: [])
        #expect(results.count == 1 && results[0].recommendations.isEmpty)
        #expect(results[0].statistics.productViews.linesRead == 12 && results[0].statistics.productViews.rowsOnDate == 0)
    }

    @Test func everyChunkBoundaryGivesTheSameResult() {
        let pv = Array(Self.productViews.utf8), ads = Array(Self.adsViews.utf8)
        let whole = Self.run(.all, pvChunks: [pv], adChunks: [ads])
        for cut in 0...max(pv.count, ads.count) {
            let pvCut = min(cut, pv.count), adsCut = min(cut, ads.count)
            let split = Self.run(
                .all,
                pvChunks: [Array(pv[..<pvCut]), [], Array(pv[pvCut...])],
                adChunks: [Array(ads[..<adsCut]), Array(ads[adsCut...])]
            )
            #expect(split == whole, "cut at \(cut)")
        }
        let bytewise = Self.run(.all, pvChunks: pv.map { [$0] }, adChunks: ads.map { [$0] })
        #expect(bytewise == whole)
    }

    @Test func lfAndCrlfGiveTheSameResult() {
        let lf = Self.productViews.replacingOccurrences(of: "\r", with: "")
        let a = Self.run(.all, pvChunks: [Array(lf.utf8)], adChunks: [Array(Self.adsViews.utf8)])
        let b = Self.run(.all, pvChunks: [Array(Self.productViews.utf8)], adChunks: [Array(Self.adsViews.utf8)])
        #expect(a == b)
    }

    @Test func dayFilterDecisions() throws {
        let filter = DayFilter(day: Fixtures.day, active: ActiveAdvertisers(ids: ["A", "B"]))
        func decide(_ line: String) -> FilterDecision? {
            Array(line.utf8).withUnsafeBytes { bytes in
                guard case .valid(let record) = LogLineParser(kind: .productViews).parse(bytes) else { return nil }
                return filter.decide(record)
            }
        }
        #expect(decide("B,p,2024-11-20") == .kept(advertiserIndex: 1))
        #expect(decide("C,p,2024-11-20") == .droppedInactive)
        #expect(decide("A,p,2024-11-21") == .otherDate)
    }
}
