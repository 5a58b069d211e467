// The canonical writ bytes, written as data: each case is a writ and the exact JSON text expected.
using System.Text;
using System.Text.Json;
using OpenThymos.Core.Writs;
using Xunit;

namespace OpenThymos.Core.Tests.Writs;

public class WritCanonicalFormTests
{
    private const string RootJson =
        """{"agent":"claude-code","budget":{"maxBytes":1000,"maxFiles":5,"maxProposals":10},"effects":["create","modify"],"exclude":["src/generated/**"],"expiresAt":1767272400000,"id":"w_00000000000000aa","include":["src/**","docs/*.md"],"issuedAt":1767268800000,"issuer":"user:alice","nonce":"0123456789abcdef0123456789abcdef","parentId":null,"session":"s_1","workspaceId":"ws-1"}""";

    private static void Check(Writ writ, string expectedJson) => Assert.Equal(expectedJson, Encoding.UTF8.GetString(WritCanonicalForm.Encode(writ)));

    private static string RootWith(string from, string to) => RootJson.Replace(from, to, StringComparison.Ordinal);

    [Fact] public void TheExampleWritHasThisExactForm() => Check(TestWrits.Root, RootJson);
    [Fact] public void NullBudgetsAreWrittenAsNull() => Check(TestWrits.Root with { Budget = WritBudget.Unlimited }, RootWith("""{"maxBytes":1000,"maxFiles":5,"maxProposals":10}""", """{"maxBytes":null,"maxFiles":null,"maxProposals":null}"""));
    [Fact] public void EffectsAreSortedByName() => Check(TestWrits.Root with { Effects = Effects.All }, RootWith("""["create","modify"]""", """["create","delete","modify","rename"]"""));
    [Fact] public void NoEffectsIsAnEmptyArray() => Check(TestWrits.Root with { Effects = Effects.None }, RootWith("""["create","modify"]""", "[]"));
    [Fact] public void ArraysKeepTheirGivenOrder() => Check(TestWrits.Root with { Include = ["z", "a"] }, RootWith("""["src/**","docs/*.md"]""", """["z","a"]"""));
    [Fact] public void AParentIdIsAString() => Check(TestWrits.Root with { ParentId = "w_1" }, RootWith("\"parentId\":null", "\"parentId\":\"w_1\""));
    [Fact] public void NonAsciiIsWrittenRaw() => Check(TestWrits.Root with { Session = "café+<x>" }, RootWith("\"s_1\"", "\"café+<x>\""));
    [Fact] public void QuotesAndBackslashesAreEscaped() => Check(TestWrits.Root with { Session = "a\"b\\c" }, RootWith("\"s_1\"", "\"a\\\"b\\\\c\""));
    [Fact] public void ControlCharactersUseShortOrHexEscapes() => Check(TestWrits.Root with { Session = "\n\t\u0001" }, RootWith("\"s_1\"", "\"\\n\\t\\u0001\""));
    [Fact] public void TimesAreTruncatedToMilliseconds() => Check(TestWrits.Root with { IssuedAt = TestWrits.Issued.AddTicks(9999) }, RootJson);
    [Fact] public void TimesInOtherOffsetsAreWrittenAsTheSameInstant() => Check(TestWrits.Root with { IssuedAt = TestWrits.Issued.ToOffset(TimeSpan.FromHours(5)) }, RootJson);
    [Fact] public void UnpairedSurrogatesAreRejected() => Assert.Throws<ArgumentException>(() => WritCanonicalForm.Encode(TestWrits.Root with { Session = "\ud800" }));

    [Fact]
    public void KeysAreInOrdinalOrder()
    {
        using var document = JsonDocument.Parse(WritCanonicalForm.Encode(TestWrits.Root));
        var keys = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public void DecodingGivesBackTheSameWrit()
    {
        var decoded = WritCanonicalForm.Decode(Encoding.UTF8.GetBytes(RootJson));
        Assert.Equal(RootJson, Encoding.UTF8.GetString(WritCanonicalForm.Encode(decoded)));
        Assert.Equal((TestWrits.Root.IssuedAt, TestWrits.Root.Effects, TestWrits.Root.Budget), (decoded.IssuedAt, decoded.Effects, decoded.Budget));
    }

    [Fact] public void DecodingRejectsWhitespace() => Assert.Throws<FormatException>(() => WritCanonicalForm.Decode(Encoding.UTF8.GetBytes(RootJson.Replace(",\"id\"", ", \"id\"", StringComparison.Ordinal))));
    [Fact] public void DecodingRejectsReorderedEffects() => Assert.Throws<FormatException>(() => WritCanonicalForm.Decode(Encoding.UTF8.GetBytes(RootWith("""["create","modify"]""", """["modify","create"]"""))));
    [Fact] public void DecodingRejectsMissingKeys() => Assert.Contains("exactly the keys", Assert.Throws<FormatException>(() => WritCanonicalForm.Decode(Encoding.UTF8.GetBytes(RootWith("\"parentId\":null,", "")))).Message, StringComparison.Ordinal);
    [Fact] public void DecodingRejectsWrongTypes() => Assert.Throws<FormatException>(() => WritCanonicalForm.Decode(Encoding.UTF8.GetBytes(RootWith("1767268800000", "\"soon\""))));
    [Fact] public void DecodingRejectsUnknownEffects() => Assert.Throws<FormatException>(() => WritCanonicalForm.Decode(Encoding.UTF8.GetBytes(RootWith("\"create\",", "\"chmod\","))));
    [Fact] public void DecodingRejectsInvalidJson() => Assert.Throws<FormatException>(() => WritCanonicalForm.Decode(Encoding.UTF8.GetBytes("{")));
}
