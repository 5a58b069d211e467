// SQLite as a ledger: WAL mode, synchronous=FULL, one 1 KiB row per transaction.
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace OpenThymos.Bench.Anchors;

/// <summary>The anchor for durable throughput and for scan speed: a table of (seq, payload) rows.</summary>
internal sealed class SqliteWalLedger : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(1024);
    private long _seq;

    public SqliteWalLedger(string folder)
    {
        _connection = new SqliteConnection($"Data Source={Path.Combine(folder, "anchor.sqlite")};Pooling=False");
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY, payload BLOB NOT NULL);");
        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT INTO entries (seq, payload) VALUES ($seq, $payload);";
        _insert.Parameters.Add("$seq", SqliteType.Integer);
        _insert.Parameters.Add("$payload", SqliteType.Blob);
    }

    /// <summary>Inserts one row in its own transaction (autocommit), durable on return with synchronous=FULL.</summary>
    public void AppendOne()
    {
        _insert.Parameters[0].Value = ++_seq;
        _insert.Parameters[1].Value = _payload;
        _insert.ExecuteNonQuery();
    }

    /// <summary>Inserts <paramref name="count"/> rows in one transaction, to build a table for the scan anchor.</summary>
    public void AppendMany(long count)
    {
        using var transaction = _connection.BeginTransaction();
        _insert.Transaction = transaction;
        for (long index = 0; index < count; index++)
        {
            AppendOne();
        }

        transaction.Commit();
        _insert.Transaction = null;
    }

    /// <summary>Reads every row in seq order and touches every payload byte; returns the row count.</summary>
    public long ScanInOrder()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT seq, payload FROM entries ORDER BY seq;";
        using var reader = command.ExecuteReader();
        long rows = 0;
        long checksum = 0;
        while (reader.Read())
        {
            var payload = (byte[])reader.GetValue(1);
            checksum += payload[^1] + reader.GetInt64(0);
            rows++;
        }

        GC.KeepAlive(checksum);
        return rows;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
