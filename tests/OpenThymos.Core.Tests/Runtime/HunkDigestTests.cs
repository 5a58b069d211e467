// Hunk content digests: a known answer for the canonical encoding, and every field that a reviewer sees changes the digest.
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class HunkDigestTests
{
    private static readonly ProposalFileRecord File = new("src/a.txt", "modify", null, new string('b', 64), new string('c', 64), false, "utf-8", 2, []);
    private static readonly HunkRecord Hunk = new("h1", 3, ["old\n"], ["new\n"]);

    [Fact]
    public void TheEncodingIsTheDocumentedBytes()
    {
        var expected = Convert.FromHexString(
            "4F544844" + "01"
            + "00000009" + Convert.ToHexString("src/a.txt"u8)
            + "00000006" + Convert.ToHexString("modify"u8)
            + "00000000" + "00000000" + "00000000"
            + "00000003"
            + "00000001" + "00000004" + Convert.ToHexString("old\n"u8)
            + "00000001" + "00000004" + Convert.ToHexString("new\n"u8));

        Assert.Equal(expected, HunkDigest.Encode(File, Hunk));
        Assert.Equal(OpenThymos.Core.Hashing.ContentHash.Of(expected).ToString(), HunkDigest.Of(File, Hunk));
    }

    [Fact]
    public void EveryFieldAReviewerSeesChangesTheDigest()
    {
        var digest = HunkDigest.Of(File, Hunk);

        Assert.NotEqual(digest, HunkDigest.Of(File with { Path = "src/b.txt" }, Hunk));
        Assert.NotEqual(digest, HunkDigest.Of(File, Hunk with { BaseStart = 4 }));
        Assert.NotEqual(digest, HunkDigest.Of(File, Hunk with { Removed = ["old\r\n"] }));
        Assert.NotEqual(digest, HunkDigest.Of(File, Hunk with { Added = ["new\n", "more\n"] }));
        Assert.NotEqual(digest, HunkDigest.Of(File, Hunk with { Removed = [], Added = ["old\n", "new\n"] }));
    }

    [Fact]
    public void AWholeFileHunkIsDigestedByItsBaseAndResultHashesAndATextHunkIsNot()
    {
        var binary = File with { Binary = true };
        var whole = IntentCompiler.WholeFileHunk;

        Assert.NotEqual(HunkDigest.Of(binary, whole), HunkDigest.Of(binary with { ResultHash = new string('d', 64) }, whole));
        Assert.Equal(HunkDigest.Of(File, Hunk), HunkDigest.Of(File with { ResultHash = new string('d', 64) }, Hunk));
    }
}
