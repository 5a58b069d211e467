// Regression: the scan skipped fields it did not declare (an approval's pin and digests, a staged proposal's format), so a mistyped one passed verify.
using System.Text;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using Xunit;

namespace OpenThymos.Core.Tests.Replay;

public sealed class PayloadScanUndeclaredFieldTests
{
    private const string Approval = """{"proposalId":"p1","revision":1,"approver":"human:ana","hunks":[],"amendments":[],"policyHash":"x","files":[],"note":"",""";
    private const string Staged = """{"proposalId":"p1","revision":1,"revisionReason":"","writId":"w","agent":"a","session":"s","nonce":"n","intentDigest":"d","description":"","files":[],"policy":null,""";

    [Theory]
    [InlineData(EntryKind.Approval, Approval + "\"pinned\":\"yes\"}", false)]
    [InlineData(EntryKind.Approval, Approval + "\"pinned\":true}", true)]
    [InlineData(EntryKind.Approval, Approval + "\"hunkDigests\":[\"a\"]}", false)]
    [InlineData(EntryKind.Approval, Approval + "\"hunkDigests\":{\"a.ts#h1\":7}}", false)]
    [InlineData(EntryKind.Approval, Approval + "\"hunkDigests\":{\"a.ts#h1\":\"d1\"}}", true)]
    [InlineData(EntryKind.ProposalStaged, Staged + "\"format\":\"2\"}", false)]
    [InlineData(EntryKind.ProposalStaged, Staged + "\"format\":2}", true)]
    public void AMistypedPinDigestMapOrFormatIsRefusedByVerifyAsByTheTypedCheck(string kind, string payload, bool wellFormed)
    {
        var entry = new LedgerEntry(9, kind, ContentHash.Zero, 0, "runtime", Encoding.UTF8.GetBytes(payload), ContentHash.Zero);

        var typed = EntryReferences.InspectTyped(entry, out _);
        Assert.Equal(wellFormed, typed is null);
        Assert.Equal(typed, EntryReferences.Inspect(entry, out _));
    }
}
