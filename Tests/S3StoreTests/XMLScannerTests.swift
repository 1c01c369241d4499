import Testing

@testable import S3Store

@Suite("XML scanner")
struct XMLScannerTests {
    @Test func parsesNestedElementsAndText() throws {
        let root = try XMLScanner.parse(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bucket</Name>
              <Contents><Key>a</Key><Size>3</Size></Contents>
              <Contents><Key>b</Key><Size>4</Size></Contents>
              <IsTruncated>false</IsTruncated>
            </ListBucketResult>
            """)
        #expect(root.name == "ListBucketResult")
        #expect(root.text(of: "Name") == "bucket")
        #expect(root.children("Contents").map { $0.text(of: "Key") } == ["a", "b"])
        #expect(root.children("Contents").map { $0.text(of: "Size") } == ["3", "4"])
        #expect(root.text(of: "Missing") == nil)
    }

    @Test(arguments: [
        ("&lt;&gt;&amp;&quot;&apos;", "<>&\"'"),
        ("a&#34;b&#39;c", "a\"b'c"),
        ("&#x9;&#xA;&#xD;", "\t\n\r"),
        ("&#x1F600;", "😀"),
        ("&amp;lt;", "&lt;"),
        ("dt=2024-11-20/a b+c.csv", "dt=2024-11-20/a b+c.csv"),
        ("<![CDATA[<not a tag> &amp;]]>", "<not a tag> &amp;"),
        ("x<!-- <Key>ignored</Key> -->y", "xy"),
    ])
    func decodesEntitiesAndSections(raw: String, expected: String) throws {
        let root = try XMLScanner.parse("<Key>\(raw)</Key>")
        #expect(root.text == expected)
    }

    @Test func skipsAttributesWithAwkwardValuesAndSelfClosingTags() throws {
        let root = try XMLScanner.parse(#"<a:Root b:x="1>2" y='/>'><Empty/><Item k="v" /><Name>n</Name></a:Root>"#)
        #expect(root.name == "Root")
        #expect(root.children.map(\.name) == ["Empty", "Item", "Name"])
        #expect(root.text(of: "Empty") == "")
        #expect(root.text(of: "Name") == "n")
    }

    @Test func readsAnS3ErrorDocument() throws {
        let root = try XMLScanner.parse(
            "<Error><Code>NoSuchKey</Code><Message>The key &apos;x&apos; does not exist</Message><RequestId>R1</RequestId></Error>"
        )
        #expect(root.text(of: "Code") == "NoSuchKey")
        #expect(root.text(of: "Message") == "The key 'x' does not exist")
        #expect(root.text(of: "RequestId") == "R1")
    }

    @Test(arguments: [
        "<a><b></a></b>",
        "<a>unterminated",
        "<a>&unknown;</a>",
        "<a>&amp</a>",
        "<a></a><b></b>",
        "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
        "",
        "just text",
        "<a x=1></a>",
        "<a>&#0;</a>",
        "<a>&#xD800;</a>",
    ])
    func rejectsMalformedDocuments(document: String) {
        #expect(throws: XMLScanner.Failure.self) { try XMLScanner.parse(document) }
    }

    @Test func escapeRoundTrips() throws {
        let text = "\"etag\" <&> 'q' ü"
        #expect(XMLScanner.escape(text) == "&quot;etag&quot; &lt;&amp;&gt; &apos;q&apos; ü")
        #expect(try XMLScanner.parse("<E>\(XMLScanner.escape(text))</E>").text == text)
    }

    @Test func readsAListPageWithContinuation() throws {
        let page = try S3ListPage(
            xml: Array(
                """
                <ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>tok/+=</NextContinuationToken>
                <Contents><Key>a&amp;b</Key><Size>12</Size><ETag>&quot;e1&quot;</ETag></Contents>
                <CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>
                """.utf8))
        #expect(page.objects == [S3ObjectSummary(key: "a&b", size: 12, eTag: "\"e1\"", lastModified: nil)])
        #expect(page.commonPrefixes == ["p/"])
        #expect(page.nextContinuationToken == "tok/+=")
    }
}
