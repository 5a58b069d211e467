// Writ tokens, written as data: each case is a token and the error expected (or a successful round trip).
using System.Buffers.Text;
using System.Text;
using OpenThymos.Core.Signing;
using OpenThymos.Core.Writs;
using Xunit;

namespace OpenThymos.Core.Tests.Writs;

public sealed class WritTokenTests : IDisposable
{
    private readonly TempWorkspace _keys = new(createKeyDirectory: true);
    private readonly WorkspaceKey _key;
    private readonly string _token;

    public WritTokenTests()
    {
        _key = WorkspaceKey.LoadOrCreate(_keys.KeyDirectory, "ws-1");
        _token = WritToken.Format(SignedWrit.Sign(TestWrits.Root, _key));
    }

    public void Dispose() => _keys.Dispose();

    private static void Check(string token, string expectedFragment) =>
        Assert.Contains(expectedFragment, Assert.Throws<WritTokenException>(() => WritToken.Parse(token)).Message, StringComparison.Ordinal);

    private string Payload => _token.Split('.')[1];

    private string Signature => _token.Split('.')[2];

    [Fact] public void ATokenStartsWithThePrefix() => Assert.StartsWith("thymos-writ-v1.", _token, StringComparison.Ordinal);
    [Fact] public void ATokenRoundTrips() => Assert.Equal(WritCanonicalForm.Encode(TestWrits.Root), WritCanonicalForm.Encode(WritToken.Parse(_token).Writ));
    [Fact] public void AParsedTokenVerifiesWithTheWorkspaceKey() => Assert.True(WritToken.Parse(_token).Verify(_key.PublicKeyHex));
    [Fact] public void AParsedTokenFailsWithAnotherKey() => Assert.False(WritToken.Parse(_token).Verify(WorkspaceKey.LoadOrCreate(_keys.KeyDirectory, "ws-2").PublicKeyHex));
    [Fact] public void ATamperedWritFailsVerification() => Assert.False((WritToken.Parse(_token) with { Writ = TestWrits.Root with { Include = ["**"] } }).Verify(_key.PublicKeyHex));
    [Fact] public void AnEmptyTokenIsRefused() => Check("", "empty");
    [Fact] public void AnotherPrefixIsRefused() => Check("thymos-writ-v2.a.b", "does not start with 'thymos-writ-v1.'");
    [Fact] public void AMissingSignatureIsRefused() => Check("thymos-writ-v1." + Payload, "may be truncated");
    [Fact] public void AnExtraPartIsRefused() => Check(_token + ".x", "may be truncated");
    [Fact] public void NonBase64IsRefused() => Check("thymos-writ-v1.!!!." + Signature, "not base64url");
    [Fact] public void AShortSignatureIsRefused() => Check("thymos-writ-v1." + Payload + "." + Signature[..40], "not 64");
    [Fact] public void ANonCanonicalPayloadIsRefused() => Check("thymos-writ-v1." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(" " + Encoding.UTF8.GetString(WritCanonicalForm.Encode(TestWrits.Root)))) + "." + Signature, "not in canonical form");
    [Fact] public void APayloadThatIsNotAWritIsRefused() => Check("thymos-writ-v1." + Base64Url.EncodeToString("{}"u8) + "." + Signature, "does not hold a valid writ");
    [Fact] public void AHugeTokenIsRefused() => Check("thymos-writ-v1." + new string('a', 70_000) + "." + Signature, "more than any real writ");
    [Fact] public void TryParseReportsErrorsWithoutThrowing() => Assert.False(WritToken.TryParse("nope", out _, out _));
    [Fact] public void SigningWithAnotherWorkspacesKeyIsRejected() => Assert.Throws<ArgumentException>(() => SignedWrit.Sign(TestWrits.Root with { WorkspaceId = "ws-2" }, _key));
}
