// The chain check: what links entries into one ledger (seq, parent, genesis, writ signatures) and what each entry must be.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Signing;

namespace OpenThymos.Core.Replay;

/// <summary>
/// Walks entries in seq order and reports, as <see cref="VerificationProblem"/>s, every way they fail to form a chain:
/// a missing seq, an entry stored under another seq, a hash that does not match the fields, a parent that is not the
/// previous entry's hash, an invalid genesis, an unknown kind, a payload that is not canonical or not of its kind's shape,
/// and a writ not signed by the workspace key. It never throws on a damaged entry. <see cref="LedgerVerifier"/> runs it over
/// a whole store (starting at the genesis, the signer taken from it, blobs checked against the store);
/// <see cref="LedgerVerifier.VerifyRange"/> runs it over any run of entries that starts after a known parent with a known signer.
/// Not thread-safe: one walk, one thread.
/// </summary>
public sealed class LedgerChainCheck
{
    private readonly List<VerificationProblem> _problems;
    private long _expectedSeq;
    private long _previousSeq;
    private ContentHash? _previousHash;
    private string? _signerKey;
    private bool _checksSignatures;

    /// <summary>
    /// Starts a check of a run whose first entry is <paramref name="firstSeq"/> and names <paramref name="startParent"/>
    /// (the hash of entry <paramref name="firstSeq"/> − 1; <see cref="ContentHash.Zero"/> before the genesis), whose writs
    /// are signed by <paramref name="signerKey"/> (the workspace public key in hex; null skips signature checks until a
    /// genesis in the run names one).
    /// </summary>
    public LedgerChainCheck(long firstSeq, ContentHash startParent, string? signerKey)
        : this([])
    {
        _expectedSeq = firstSeq;
        _previousSeq = firstSeq - 1;
        _previousHash = startParent;
        _signerKey = signerKey;
        _checksSignatures = signerKey is not null;
    }

    /// <summary>A check of a whole ledger from its genesis, reporting into <paramref name="problems"/> (the verifier's list).</summary>
    internal LedgerChainCheck(List<VerificationProblem> problems)
    {
        _problems = problems;
        _expectedSeq = LedgerFormat.GenesisSeq;
    }

    /// <summary>Every problem found so far, in seq order.</summary>
    public IReadOnlyList<VerificationProblem> Problems => _problems;

    /// <summary>The last entry checked when it could be read (null when none was, or the last one could not be).</summary>
    public LedgerEntry? Last { get; private set; }

    /// <summary>The number of entries (readable or not) checked.</summary>
    public long EntriesChecked { get; private set; }

    /// <summary>The genesis payload, when the run held a valid genesis.</summary>
    internal GenesisPayload? Genesis { get; private set; }

    /// <summary>Checks the next entry of the run (its seq is where it is taken to be stored).</summary>
    public void Check(LedgerEntry entry) => Check(entry.Seq, entry, null, EntryCheck.Of(entry), checkBlob: null);

    /// <summary>
    /// Checks the entry read at <paramref name="storedSeq"/>: null with <paramref name="readError"/> when it could not be read.
    /// <paramref name="check"/> is its entry-alone check, computed ahead (on every core, by the verifier);
    /// <paramref name="checkBlob"/>, when given, is called with each blob the entry references and the entry's seq.
    /// </summary>
    internal void Check(long storedSeq, LedgerEntry? entry, string? readError, EntryCheck? check, Action<ContentHash, long>? checkBlob)
    {
        EntriesChecked++;
        if (storedSeq > _expectedSeq)
        {
            _problems.Add(new VerificationProblem(_expectedSeq, VerificationProblemCode.SeqGap,
                storedSeq == _expectedSeq + 1
                    ? $"Entry {_expectedSeq} is missing: the ledger jumps from {_expectedSeq - 1} to {storedSeq}."
                    : $"Entries {_expectedSeq} to {storedSeq - 1} are missing."));
        }

        _expectedSeq = storedSeq + 1;
        if (entry is null)
        {
            _problems.Add(new VerificationProblem(storedSeq, VerificationProblemCode.EntryUnreadable, $"Entry {storedSeq} cannot be decoded: {readError}"));
            Last = null;
            _previousHash = null;
            return;
        }

        try
        {
            CheckEntry(entry, check!, storedSeq, checkBlob);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Checks are written not to throw; if one still does, the entry is damaged in a way worth reporting.
            _problems.Add(new VerificationProblem(storedSeq, VerificationProblemCode.PayloadInvalid, $"Entry {storedSeq} could not be checked: {exception.Message}"));
        }

        Last = entry;
        _previousSeq = entry.Seq;
        _previousHash = entry.Hash;
    }

    private void CheckEntry(LedgerEntry entry, EntryCheck check, long storedSeq, Action<ContentHash, long>? checkBlob)
    {
        var seq = storedSeq;
        if (entry.Seq != storedSeq)
        {
            _problems.Add(new VerificationProblem(seq, VerificationProblemCode.SeqMismatch, $"The entry stored as {storedSeq} says it is entry {entry.Seq}."));
        }

        if (!check.HashComputed)
        {
            check.Failure!.Throw();
        }

        if (check.ComputedHash != entry.Hash)
        {
            _problems.Add(new VerificationProblem(seq, VerificationProblemCode.HashMismatch,
                $"Entry {seq} ({entry.Kind}) was changed after it was written: its fields hash to {check.ComputedHash.ToShortString()}, not the recorded {entry.Hash.ToShortString()}."));
        }

        if (seq == LedgerFormat.GenesisSeq)
        {
            // The genesis in the run names the signer from here on (none when it is not a valid genesis).
            Genesis = CheckGenesis(entry);
            _checksSignatures = Genesis is not null;
            _signerKey = Genesis?.WorkspaceKey;
        }
        else if (_previousHash is { } previousHash && entry.Parent != previousHash)
        {
            _problems.Add(new VerificationProblem(seq, VerificationProblemCode.ParentMismatch,
                $"Entry {seq} names parent {entry.Parent.ToShortString()}, but entry {_previousSeq} hashes to {previousHash.ToShortString()}: entries were removed, reordered or rewritten."));
        }

        if (!check.KnownKind)
        {
            _problems.Add(new VerificationProblem(seq, VerificationProblemCode.UnknownKind, $"Entry {seq} has unknown kind '{entry.Kind}'."));
            return;
        }

        check.Failure?.Throw();
        if (!check.Canonical)
        {
            _problems.Add(new VerificationProblem(seq, VerificationProblemCode.PayloadInvalid, $"Entry {seq} ({entry.Kind}) has a payload that is not canonical JSON."));
            return;
        }

        var (shapeError, blobs) = (check.ShapeError, check.Blobs);
        if (shapeError is not null)
        {
            _problems.Add(new VerificationProblem(seq, VerificationProblemCode.PayloadInvalid, $"Entry {seq} ({entry.Kind}) has a malformed payload: {shapeError}"));
            return;
        }

        if (entry.Kind == EntryKind.WritIssued && _checksSignatures)
        {
            CheckWritSignature(entry, _signerKey!);
        }

        if (checkBlob is not null)
        {
            foreach (var hash in blobs)
            {
                checkBlob(hash, seq);
            }
        }
    }

    private GenesisPayload? CheckGenesis(LedgerEntry entry)
    {
        if (entry.Kind != EntryKind.Genesis || entry.Parent != ContentHash.Zero)
        {
            _problems.Add(new VerificationProblem(entry.Seq, VerificationProblemCode.GenesisInvalid,
                $"Entry {LedgerFormat.GenesisSeq} must be a genesis with an all-zero parent, but is '{entry.Kind}' with parent {entry.Parent.ToShortString()}."));
            return null;
        }

        try
        {
            var genesis = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.GenesisPayload);
            if (genesis.FormatVersion != LedgerFormat.Version || genesis.HashAlgorithm != LedgerFormat.HashAlgorithm)
            {
                _problems.Add(new VerificationProblem(entry.Seq, VerificationProblemCode.GenesisInvalid,
                    $"The genesis names format {genesis.FormatVersion} with {genesis.HashAlgorithm}; this verifier knows format {LedgerFormat.Version} with {LedgerFormat.HashAlgorithm}."));
            }

            return genesis;
        }
        catch (Exception exception)
        {
            _problems.Add(new VerificationProblem(entry.Seq, VerificationProblemCode.GenesisInvalid, $"The genesis payload is malformed: {exception.Message}"));
            return null;
        }
    }

    private void CheckWritSignature(LedgerEntry entry, string signerKey)
    {
        var payload = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.WritIssuedPayload);
        bool valid;
        try
        {
            valid = WorkspaceKey.Verify(signerKey, CanonicalJson.Write(payload.Writ), Convert.FromHexString(payload.Signature));
        }
        catch (Exception)
        {
            valid = false;
        }

        if (!valid)
        {
            _problems.Add(new VerificationProblem(entry.Seq, VerificationProblemCode.SignatureInvalid,
                $"The writ issued in entry {entry.Seq} is not signed by this workspace's key {signerKey[..12]}…."));
        }
    }
}
