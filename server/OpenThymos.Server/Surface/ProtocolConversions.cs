// Every conversion between wire types (Protocol/) and core types, in one place, so the two models never leak into each other.
using System.Globalization;
using OpenThymos.Core.Entries;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Text;
using OpenThymos.Core.Writs;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Server.Surface;

/// <summary>Wire ↔ core conversions.</summary>
public static class ProtocolConversions
{
    /// <summary>ISO 8601 UTC with milliseconds.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>pending, approved, partiallyApproved, rejected, stale or failed.</summary>
    public static string StatusName(ProposalStatus status) => status switch
    {
        ProposalStatus.Pending => "pending",
        ProposalStatus.Approved => "approved",
        ProposalStatus.PartiallyApproved => "partiallyApproved",
        ProposalStatus.Rejected => "rejected",
        ProposalStatus.Stale => "stale",
        _ => "failed",
    };

    /// <summary>pending, approved, rejected or failed.</summary>
    public static string HunkStatusName(HunkStatus status) => status switch
    {
        HunkStatus.Pending => "pending",
        HunkStatus.Approved => "approved",
        HunkStatus.Rejected => "rejected",
        _ => "failed",
    };

    /// <summary>The policy in force and the file on disk, for <c>policy/get</c> and <c>policy/adopt</c>.</summary>
    public static GetPolicyResult ToPolicyResult(PolicyStatus status) => new()
    {
        Hash = status.Hash,
        Source = status.Hash == Core.Policy.WorkspacePolicy.Default.Hash.ToString() ? "default" : "file",
        Text = System.Text.Encoding.UTF8.GetString(status.Text),
        Error = status.DiskError,
        DiskHash = status.DiskHash,
        DiskText = status.DiskText is null ? null : System.Text.Encoding.UTF8.GetString(status.DiskText),
        Notice = status.Notice,
    };

    /// <summary>A proposal for lists and notifications.</summary>
    public static ProposalSummary ToSummary(ProposalState proposal) => new()
    {
        ProposalId = proposal.Id,
        Revision = proposal.Revision,
        Status = StatusName(proposal.Status),
        Agent = proposal.Staged.Agent,
        Session = proposal.Staged.Session,
        WritId = proposal.Staged.WritId,
        Description = proposal.Staged.Description,
        CreatedAt = Iso(proposal.CreatedAt),
        UpdatedAt = Iso(proposal.UpdatedAt),
        Files =
        [
            .. proposal.Files.Values.Select(f => new ProposalFileSummary
            {
                Path = f.Record.Path,
                Effect = f.Record.Effect,
                HunkCount = f.Hunks.Count,
                PendingCount = f.Hunks.Values.Count(s => s == HunkStatus.Pending),
            }),
        ],
        Reason = proposal.LastReason,
        HiddenCharacters = proposal.HiddenCharacters,
    };

    /// <summary>A proposal in full, with base and proposed text decoded from the ledger's blobs.</summary>
    public static GetProposalResult ToDetail(ProposalState proposal, Func<ContentHash, byte[]?> readBlob)
    {
        string? Decode(string? hash)
        {
            if (hash is null || !ContentHash.TryParse(hash, out var parsed) || readBlob(parsed) is not { } bytes)
            {
                return null;
            }
            return TextDocument.TryDecode(bytes)?.Text;
        }

        var policy = proposal.Staged.Policy;
        return new GetProposalResult
        {
            Proposal = ToSummary(proposal),
            Files =
            [
                .. proposal.Files.Values.Select(f => new ProposalFileDetail
                {
                    Path = f.Record.Path,
                    FromPath = f.Record.FromPath,
                    Effect = f.Record.Effect,
                    Binary = f.Record.Binary,
                    BaseHash = f.Record.BaseHash,
                    CurrentHash = f.CurrentHash,
                    BaseText = f.Record.Binary ? null : Decode(f.Record.BaseHash),
                    ProposedText = f.Record.Binary ? null : Decode(f.Record.ResultHash),
                    Hunks =
                    [
                        .. f.Record.Hunks.Select(h => ToHunkInfo(h, f)),
                    ],
                }),
            ],
            Policy = new PolicyDecisionInfo
            {
                Hash = policy.Hash,
                Outcome = policy.Outcome,
                Trace = [.. policy.Trace.Select(t => new PolicyTraceInfo { Path = t.Path, DecidedBy = t.DecidedBy, Outcome = t.Outcome, Notes = t.Notes })],
            },
        };
    }

    /// <summary>A hunk on the wire, with its decision in the file.</summary>
    public static HunkInfo ToHunkInfo(Core.Ledger.Payloads.HunkRecord hunk, ProposalFileState file) => new()
    {
        Id = hunk.Id,
        BaseStart = hunk.BaseStart,
        Removed = hunk.Removed,
        Added = hunk.Added,
        Status = HunkStatusName(file.Hunks.GetValueOrDefault(hunk.Id, HunkStatus.Pending)),
        HiddenCharacters = file.HiddenCharacters.GetValueOrDefault(hunk.Id) ?? [],
        Digest = HunkDigest.Of(file.Record, hunk),
    };

    /// <summary>An agent's view of its proposal's status.</summary>
    public static ProposalStatusResult ToStatus(ProposalState proposal, IReadOnlyList<long> commitSeqs, bool timedOut) => new()
    {
        ProposalId = proposal.Id,
        Status = StatusName(proposal.Status),
        Revision = proposal.Revision,
        Decided = proposal.Status != ProposalStatus.Pending,
        CommitSeqs = commitSeqs,
        Reason = proposal.LastReason,
        TimedOut = timedOut,
    };

    /// <summary>The core approve request.</summary>
    public static ApproveRequest ToApproveRequest(ApproveProposalParams request, string approver) => new(
        SurfaceException.RequireText(request.ProposalId, "proposalId"),
        request.Revision,
        approver,
        new HunkSelection(request.Files, request.Hunks),
        request.Amendments?.Select(a => new Amendment(SurfaceException.RequireText(a.Path, "amendments[].path"), a.HunkId, a.Text ?? "")).ToList(),
        request.HunkDigests,
        request.Pinned ?? true);

    /// <summary>The core reject request.</summary>
    public static RejectRequest ToRejectRequest(RejectProposalParams request, string actor) => new(
        SurfaceException.RequireText(request.ProposalId, "proposalId"),
        request.Revision,
        actor,
        new HunkSelection(request.Files, request.Hunks),
        string.IsNullOrWhiteSpace(request.Reason) ? "Rejected by the reviewer." : request.Reason,
        request.HunkDigests);

    /// <summary>The core amend request.</summary>
    public static AmendRequest ToAmendRequest(AmendProposalParams request, string actor) => new(
        SurfaceException.RequireText(request.ProposalId, "proposalId"),
        request.Revision,
        actor,
        SurfaceException.RequireText(request.Path, "path"),
        request.Text ?? throw SurfaceException.InvalidParams("text", "is required (the file's whole new text)."));

    /// <summary>An amend result; refusals throw <see cref="SurfaceException"/>.</summary>
    public static AmendProposalResult ToAmendResult(DecisionResult result, ProposalState? proposal, AmendRequest request)
    {
        if (result.Outcome != DecisionOutcome.Amended)
        {
            throw SurfaceException.Runtime(result.Error ?? new RuntimeError(RuntimeErrorCode.None, "The amendment was refused without a reason (nothing was recorded); reload the proposal and amend it again."));
        }
        var file = proposal?.Files.GetValueOrDefault(request.Path);
        return new AmendProposalResult
        {
            ProposalId = result.ProposalId ?? "",
            Revision = result.Revision,
            Recorded = result.Revision > request.Revision,
            Hunks = file is null ? [] : [.. file.Record.Hunks.Select(h => ToHunkInfo(h, file))],
        };
    }

    /// <summary>A decision result; refusals throw <see cref="SurfaceException"/>.</summary>
    public static DecisionResultInfo ToDecisionInfo(DecisionResult result)
    {
        if (result.Outcome == DecisionOutcome.Refused)
        {
            throw SurfaceException.Runtime(result.Error ?? new RuntimeError(RuntimeErrorCode.None, "The decision was refused without a reason (nothing was recorded); reload the proposal and decide again."));
        }
        return new DecisionResultInfo
        {
            Outcome = result.Outcome switch
            {
                DecisionOutcome.Committed => "committed",
                DecisionOutcome.Rejected => "rejected",
                DecisionOutcome.Rebased => "rebased",
                DecisionOutcome.Stale => "stale",
                DecisionOutcome.Amended => "amended",
                _ => "failed",
            },
            ProposalId = result.ProposalId,
            Revision = result.Revision,
            CommitSeq = result.CommitSeq,
            Message = result.Error?.Message,
        };
    }

    /// <summary>A writ on the wire.</summary>
    public static WritInfo ToWritInfo(WritState writ, DateTimeOffset now) => new()
    {
        WritId = writ.Id,
        Agent = writ.Writ.Agent,
        Session = writ.Writ.Session,
        Include = writ.Writ.Include,
        Exclude = writ.Writ.Exclude,
        Effects = EffectNames.Names(writ.Writ.Effects),
        IssuedAt = Iso(writ.Writ.IssuedAt),
        ExpiresAt = Iso(writ.Writ.ExpiresAt),
        ParentId = writ.Writ.ParentId,
        State = writ.IsRevoked ? "revoked" : writ.Writ.ExpiresAt <= now ? "expired" : "active",
        ProposalsUsed = writ.ProposalsStaged,
        MaxProposals = writ.Writ.Budget.MaxProposals,
        FilesUsed = writ.FilesTouched.Count,
        MaxFiles = writ.Writ.Budget.MaxFiles,
        BytesUsed = writ.BytesProposed,
        MaxBytes = writ.Writ.Budget.MaxBytes,
    };

    /// <summary>The core writ request; unknown effects are invalid params.</summary>
    public static WritRequest ToWritRequest(IssueWritParams request)
    {
        SurfaceException.RequireText(request.Agent, "agent");
        if (request.Include is null || request.Include.Count == 0)
        {
            throw SurfaceException.InvalidParams("include", "needs at least one glob.");
        }
        if (request.LifetimeSeconds <= 0)
        {
            throw SurfaceException.InvalidParams("lifetimeSeconds", "must be positive.");
        }
        var effects = Effects.None;
        foreach (var name in request.Effects ?? [])
        {
            if (!EffectNames.TryParse(name, out var effect))
            {
                throw SurfaceException.InvalidParams("effects", $"contains '{name}'; use create, modify, delete or rename.");
            }
            effects |= effect;
        }
        if (effects == Effects.None)
        {
            throw SurfaceException.InvalidParams("effects", "needs at least one of create, modify, delete, rename.");
        }
        var budget = request.MaxProposals is null && request.MaxFiles is null && request.MaxBytes is null
            ? null
            : new WritBudget(request.MaxProposals, request.MaxFiles, request.MaxBytes);
        return new WritRequest(
            request.Agent,
            string.IsNullOrWhiteSpace(request.Session) ? "s_" + Guid.NewGuid().ToString("N")[..12] : request.Session,
            request.Include,
            request.Exclude,
            effects,
            budget,
            TimeSpan.FromSeconds(Math.Min(request.LifetimeSeconds, 10L * 365 * 24 * 3600)),
            request.ParentId);
    }

    /// <summary>The core intent; unknown kinds are invalid params.</summary>
    public static Intent ToIntent(SubmitIntentParams request)
    {
        SurfaceException.RequireText(request.Nonce, "nonce");
        if (request.Files is null || request.Files.Count == 0)
        {
            throw SurfaceException.InvalidParams("files", "needs at least one file change.");
        }
        return new Intent(request.Nonce, request.Description ?? "", [.. request.Files.Select(ToFileIntent)]);
    }

    /// <summary>One file change of an intent.</summary>
    public static FileIntent ToFileIntent(FileIntentInfo file)
    {
        var kind = file.Kind switch
        {
            "create" => FileIntentKind.Create,
            "modify" => FileIntentKind.Modify,
            "delete" => FileIntentKind.Delete,
            "rename" => FileIntentKind.Rename,
            _ => throw SurfaceException.InvalidParams("files[].kind", $"is '{file.Kind}'; use create, modify, delete or rename."),
        };
        return new FileIntent(
            kind,
            SurfaceException.RequireText(file.Path, "files[].path"),
            file.FromPath,
            file.BaseHash,
            file.Content,
            file.ContentBase64,
            file.Edits?.Select(e => new SearchReplaceBlock(e.Search ?? "", e.Replace ?? "")).ToList(),
            file.UnifiedDiff);
    }

    /// <summary>staged, duplicate or autoApproved; a refusal throws <see cref="SurfaceException"/>.</summary>
    public static SubmitIntentResult ToSubmitResult(SubmitResult result, ProposalState? proposal)
    {
        if (result.Outcome == SubmitOutcome.Refused || result.ProposalId is null)
        {
            throw SurfaceException.Runtime(result.Error ?? new RuntimeError(RuntimeErrorCode.IntentInvalid, "The intent was refused without a reason (nothing was staged); read the files again and resubmit."));
        }
        var status = proposal is null ? "pending" : StatusName(proposal.Status);
        var (outcome, message) = result.Outcome switch
        {
            SubmitOutcome.Duplicate => ("duplicate", $"This intent was already submitted as proposal {result.ProposalId}; it is {status}."),
            SubmitOutcome.AutoApproved => ("autoApproved", $"Proposal {result.ProposalId} was approved by the workspace policy; it is {status}."),
            _ => ("staged", $"Proposal {result.ProposalId} is waiting for the user's review in the editor."),
        };
        return new SubmitIntentResult { Outcome = outcome, ProposalId = result.ProposalId, Status = status, Message = message };
    }

    /// <summary>File bytes as text when they decode, else base64.</summary>
    public static (string? Text, string? Base64) ToContent(byte[] bytes) =>
        TextDocument.TryDecode(bytes) is { } document ? (document.Text, null) : (null, Convert.ToBase64String(bytes));

    /// <summary>The verify result.</summary>
    public static VerifyResultInfo ToVerifyInfo(VerificationResult result) => new()
    {
        Valid = result.IsValid,
        EntriesChecked = result.EntriesChecked,
        BlobsChecked = result.BlobsChecked,
        AnchorChecked = result.AnchorChecked,
        Problems = [.. result.Problems.Select(p => new ProblemInfo { Seq = p.Seq, Code = p.Code, Message = p.Message })],
    };

    /// <summary>The world at a seq.</summary>
    public static ReplayResultInfo ToReplayInfo(World world) => new()
    {
        Seq = world.Seq,
        Files = [.. world.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new WorldFileInfo { Path = f.Key, Hash = f.Value })],
    };

    /// <summary>The drift report.</summary>
    public static DriftResultInfo ToDriftInfo(DriftReport report) => new()
    {
        Seq = report.Seq,
        Items =
        [
            .. report.Items.Select(i => new DriftItemInfo
            {
                Path = i.Path,
                Kind = i.Kind switch
                {
                    DriftKind.ChangedOutsideLedger => "changedOutsideLedger",
                    DriftKind.Missing => "missing",
                    DriftKind.NotARegularFile => "notARegularFile",
                    DriftKind.PendingRedo => "pendingRedo",
                    _ => "unexpected",
                },
                Expected = i.Expected,
                Actual = i.Actual,
                LastEntrySeq = i.LastEntrySeq,
            }),
        ],
    };

    /// <summary>An entry for the timeline: a one-line summary, the proposal and the paths it names.</summary>
    public static EntrySummary ToEntrySummary(LedgerEntry entry) => DescribeEntry(entry).Summary;

    /// <summary>The summary plus the agent the entry concerns (from its actor or payload), for filtering; the facts come from <see cref="EntryDescriber"/>.</summary>
    public static (EntrySummary Summary, string? Agent) DescribeEntry(LedgerEntry entry)
    {
        var description = EntryDescriber.Describe(entry);
        return (new EntrySummary
        {
            Seq = entry.Seq,
            Kind = entry.Kind,
            Actor = entry.Actor,
            Time = Iso(entry.Time),
            Hash = entry.Hash.ToString(),
            Summary = description.Summary,
            ProposalId = description.ProposalId,
            Paths = [.. description.Paths],
        }, description.Agent);
    }
}
