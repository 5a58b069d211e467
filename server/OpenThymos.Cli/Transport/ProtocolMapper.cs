// Turns the core library's values into the protocol's wire records, for the backend that opens the ledger directly.
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Writs;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Transport;

/// <summary>Core → protocol conversions (the same shapes the sidecar sends).</summary>
internal static class ProtocolMapper
{
    /// <summary>An enum value as the protocol spells it (camelCase).</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>An ISO 8601 UTC time.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A proposal in lists.</summary>
    public static ProposalSummary Summary(ProposalState proposal) => new()
    {
        ProposalId = proposal.Id,
        Revision = proposal.Revision,
        Status = Name(proposal.Status),
        Agent = proposal.Staged.Agent,
        Session = proposal.Staged.Session,
        WritId = proposal.Staged.WritId,
        Description = proposal.Staged.Description,
        CreatedAt = Time(proposal.CreatedAt),
        UpdatedAt = Time(proposal.UpdatedAt),
        Reason = proposal.LastReason,
        Files =
        [
            .. proposal.Files.Values.Select(file => new ProposalFileSummary
            {
                Path = file.Record.Path,
                Effect = file.Record.Effect,
                HunkCount = file.Record.Hunks.Count,
                PendingCount = file.Hunks.Values.Count(status => status == HunkStatus.Pending),
            }),
        ],
    };

    /// <summary>A proposal in full; texts are read from the ledger's blobs.</summary>
    public static GetProposalResult Detail(ProposalState proposal, ILedgerStore store) => new()
    {
        Proposal = Summary(proposal),
        Policy = new PolicyDecisionInfo
        {
            Hash = proposal.Staged.Policy.Hash,
            Outcome = proposal.Staged.Policy.Outcome,
            Trace = [.. proposal.Staged.Policy.Trace.Select(t => new PolicyTraceInfo { Path = t.Path, DecidedBy = t.DecidedBy, Outcome = t.Outcome, Notes = t.Notes })],
        },
        Files =
        [
            .. proposal.Files.Values.Select(file => new ProposalFileDetail
            {
                Path = file.Record.Path,
                FromPath = file.Record.FromPath,
                Effect = file.Record.Effect,
                Binary = file.Record.Binary,
                BaseHash = file.Record.BaseHash,
                CurrentHash = file.CurrentHash,
                BaseText = file.Record.Binary ? null : BlobText(store, file.Record.BaseHash),
                ProposedText = file.Record.Binary ? null : BlobText(store, file.Record.ResultHash),
                Hunks =
                [
                    .. file.Record.Hunks.Select(h => new HunkInfo
                    {
                        Id = h.Id,
                        BaseStart = h.BaseStart,
                        Removed = h.Removed,
                        Added = h.Added,
                        Status = Name(file.Hunks.GetValueOrDefault(h.Id, HunkStatus.Pending)),
                    }),
                ],
            }),
        ],
    };

    /// <summary>A writ.</summary>
    public static WritInfo Writ(WritState state, DateTimeOffset now) => new()
    {
        WritId = state.Id,
        Agent = state.Writ.Agent,
        Session = state.Writ.Session,
        Include = state.Writ.Include,
        Exclude = state.Writ.Exclude,
        Effects = EffectNames.Names(state.Writ.Effects),
        IssuedAt = Time(state.Writ.IssuedAt),
        ExpiresAt = Time(state.Writ.ExpiresAt),
        ParentId = state.Writ.ParentId,
        State = state.IsRevoked ? "revoked" : state.Writ.ExpiresAt <= now ? "expired" : "active",
        ProposalsUsed = state.ProposalsStaged,
        MaxProposals = state.Writ.Budget.MaxProposals,
        FilesUsed = state.FilesTouched.Count,
        MaxFiles = state.Writ.Budget.MaxFiles,
        BytesUsed = state.BytesProposed,
        MaxBytes = state.Writ.Budget.MaxBytes,
    };

    /// <summary>A decision, or a <see cref="CliException"/> when the runtime refused.</summary>
    public static DecisionResultInfo Decision(DecisionResult result)
    {
        if (result.Outcome == DecisionOutcome.Refused)
        {
            throw new CliException(ExitCodes.Refused, result.Error?.Message ?? "The runtime refused the decision.");
        }

        return new DecisionResultInfo
        {
            Outcome = Name(result.Outcome),
            ProposalId = result.ProposalId,
            Revision = result.Revision,
            CommitSeq = result.CommitSeq,
            Message = result.Error?.Message,
        };
    }

    /// <summary>A verification result.</summary>
    public static VerifyResultInfo Verify(VerificationResult result) => new()
    {
        Valid = result.IsValid,
        EntriesChecked = result.EntriesChecked,
        BlobsChecked = result.BlobsChecked,
        AnchorChecked = result.AnchorChecked,
        Problems = [.. result.Problems.Select(p => new ProblemInfo { Seq = p.Seq, Code = p.Code, Message = p.Message })],
    };

    /// <summary>A replayed world.</summary>
    public static ReplayResultInfo Replay(World world) => new()
    {
        Seq = world.Seq,
        Files = [.. world.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new WorldFileInfo { Path = f.Key, Hash = f.Value })],
    };

    /// <summary>A drift report.</summary>
    public static DriftResultInfo Drift(DriftReport report) => new()
    {
        Seq = report.Seq,
        Items =
        [
            .. report.Items.Select(i => new DriftItemInfo
            {
                Path = i.Path,
                Kind = Name(i.Kind),
                Expected = i.Expected,
                Actual = i.Actual,
                LastEntrySeq = i.LastEntrySeq,
            }),
        ],
    };

    /// <summary>An entry in the timeline.</summary>
    public static EntrySummary Entry(LedgerEntry entry)
    {
        using var payload = JsonDocument.Parse(entry.Payload);
        var root = payload.RootElement;
        var proposalId = StringProperty(root, "proposalId");
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        CollectPaths(root, paths);
        var detail = StringProperty(root, "description") ?? StringProperty(root, "reason") ?? StringProperty(root, "agent");
        var summary = new StringBuilder(entry.Kind);
        if (proposalId is not null)
        {
            summary.Append(' ').Append(proposalId);
        }

        if (paths.Count > 0)
        {
            summary.Append(' ').Append(string.Join(", ", paths.Take(3))).Append(paths.Count > 3 ? ", …" : "");
        }

        if (!string.IsNullOrEmpty(detail))
        {
            summary.Append(": ").Append(detail);
        }

        return new EntrySummary
        {
            Seq = entry.Seq,
            Kind = entry.Kind,
            Actor = entry.Actor,
            Time = Time(entry.Time),
            Hash = entry.Hash.ToString(),
            Summary = summary.ToString(),
            ProposalId = proposalId,
            Paths = [.. paths],
        };
    }

    /// <summary>True when an entry names the agent (as actor or in its payload).</summary>
    public static bool NamesAgent(LedgerEntry entry, string agent)
    {
        if (entry.Actor == "agent:" + agent)
        {
            return true;
        }

        using var payload = JsonDocument.Parse(entry.Payload);
        return StringProperty(payload.RootElement, "agent") == agent;
    }

    /// <summary>The string value of a top-level property, or null.</summary>
    public static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static void CollectPaths(JsonElement element, SortedSet<string> paths)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "path" or "fromPath" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        paths.Add(property.Value.GetString()!);
                    }
                    else if (property.Name != "trace")
                    {
                        CollectPaths(property.Value, paths);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectPaths(item, paths);
                }

                break;
            default:
                break;
        }
    }

    private static string? BlobText(ILedgerStore store, string? hash)
    {
        if (hash is null || !ContentHash.TryParse(hash, out var parsed))
        {
            return null;
        }

        var bytes = store.ReadBlob(parsed);
        return bytes is null ? null : new UTF8Encoding(false, false).GetString(bytes);
    }
}
