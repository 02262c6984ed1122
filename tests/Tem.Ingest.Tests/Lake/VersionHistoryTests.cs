using Tem.DuckDb;

namespace Tem.Ingest.Tests.Lake;

/// <summary>
/// parties.csv and accounts.csv keep their history: dated versions in a file, newer files changing the versions from
/// the dates they give (or from the ingest day), and rows that would make two versions ambiguous rejected.
/// </summary>
public sealed class VersionHistoryTests : IDisposable
{
    private const string Header = "account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id";
    private readonly ScratchLake _lake = new();

    public void Dispose() => _lake.Dispose();

    /// <summary>account_versions as "account customer/bill_to/reseller from..to", in key and date order.</summary>
    private List<string> Versions()
    {
        using var c = _lake.Query();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT account_id || ' ' || customer_id || '/' || bill_to_id || '/' || coalesce(reseller_id, '-') || ' '
                   || coalesce(strftime(valid_from, '%Y-%m-%d'), 'start') || '..' || coalesce(strftime(valid_to, '%Y-%m-%d'), 'open')
            FROM account_versions ORDER BY account_id, valid_from NULLS FIRST
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    private FileReport Accounts(string name, string rows, bool dated = false) =>
        _lake.Ingest(_lake.Write(name, (dated ? Header + ",valid_from,valid_to" : Header) + "\n" + rows));

    [Fact]
    public void OneFile_DatedVersions_EachEndsWhereTheNextBegins()
    {
        var report = Accounts("accounts.csv", """
            A1,Telco,CUS-1,DLR-1,DLR-1,USD,UTC,false,,,2026-03-01
            A1,Telco,CUS-1,DLR-2,DLR-2,USD,UTC,false,,2026-03-01,
            A2,Telco,CUS-2,CUS-2,,USD,UTC,false,,,
            A3,Telco,CUS-3,LES-1,,USD,UTC,false,,2026-01-01,
            A3,Telco,CUS-3,CUS-3,,USD,UTC,false,,2026-05-01,
            """, dated: true);

        Assert.Equal((5L, 5L, 0L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        Assert.Equal(
            [
                "A1 CUS-1/DLR-1/DLR-1 start..2026-03-01", "A1 CUS-1/DLR-2/DLR-2 2026-03-01..open", "A2 CUS-2/CUS-2/- start..open",
                "A3 CUS-3/LES-1/- 2026-01-01..2026-05-01", "A3 CUS-3/CUS-3/- 2026-05-01..open",
            ],
            Versions());

        // The plain table is the latest version of each account; the macro picks the one of a billing month.
        using var c = _lake.Query();
        Assert.Equal("DLR-2", c.Scalar<string>("SELECT bill_to_id FROM accounts WHERE account_id = 'A1'"));
        Assert.Equal("DLR-1", c.Scalar<string>("SELECT bill_to_id FROM account_versions WHERE account_id = 'A1' AND tem_in_force(valid_from, valid_to, '2026-02')"));
        Assert.Equal("DLR-2", c.Scalar<string>("SELECT bill_to_id FROM account_versions WHERE account_id = 'A1' AND tem_in_force(valid_from, valid_to, '2026-03')"));
        Assert.Equal(0L, c.Scalar<long>("SELECT count(*) FROM account_versions WHERE account_id = 'A3' AND tem_in_force(valid_from, valid_to, '2025-12')"));
    }

    [Fact]
    public void MidMonthDate_CountsFromTheNextBillingMonth()
    {
        Accounts("accounts.csv", """
            A1,Telco,CUS-1,DLR-1,DLR-1,USD,UTC,false,,,
            A1,Telco,CUS-1,DLR-2,DLR-2,USD,UTC,false,,2026-03-15,
            """, dated: true);

        using var c = _lake.Query();
        Assert.Equal("DLR-1", c.Scalar<string>("SELECT bill_to_id FROM account_versions WHERE account_id = 'A1' AND tem_in_force(valid_from, valid_to, '2026-03')"));
        Assert.Equal("DLR-2", c.Scalar<string>("SELECT bill_to_id FROM account_versions WHERE account_id = 'A1' AND tem_in_force(valid_from, valid_to, '2026-04')"));
    }

    [Fact]
    public void AmbiguousVersions_RejectedWithFileLineAndColumn_TheRestStored()
    {
        var report = Accounts("accounts.csv", """
            A1,Telco,CUS-1,DLR-1,DLR-1,USD,UTC,false,,,
            A1,Telco,CUS-1,DLR-2,DLR-2,USD,UTC,false,,,
            A2,Telco,CUS-2,CUS-2,,USD,UTC,false,,2026-04-01,2026-04-01
            A3,Telco,CUS-3,CUS-3,,USD,UTC,false,,2026-01-01,2026-06-01
            A3,Telco,CUS-3,LES-1,,USD,UTC,false,,2026-03-01,
            """, dated: true);

        Assert.Equal((5L, 2L, 3L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        var rejects = _lake.Rejects();
        Assert.Equal(
            [(3L, 10, "duplicate_version"), (4L, 11, "empty_validity"), (6L, 10, "overlapping_version")],
            rejects.Select(r => (r.Line, r.Column, r.Reason)).ToList());
        Assert.StartsWith("accounts.csv:3:10: valid_from carrier Telco account_id A1 already has a version from the start at line 2", rejects[0].Message, StringComparison.Ordinal);
        Assert.Contains("starts before the version at line 5 ends (valid_to 2026-06-01)", rejects[2].Message, StringComparison.Ordinal);
        Assert.Equal("A1,Telco,CUS-1,DLR-2,DLR-2,USD,UTC,false,,,", rejects[0].Raw);
        Assert.Equal(["A1 CUS-1/DLR-1/DLR-1 start..open", "A3 CUS-3/CUS-3/- 2026-01-01..2026-06-01"], Versions());
    }

    [Fact]
    public void NewerFile_SameRowsUndated_ChangesNothing()
    {
        Accounts("accounts.csv", "A1,Telco,CUS-1,DLR-1,DLR-1,USD,UTC,false,\n");
        var again = Accounts("accounts-v2.csv", "A1,Telco,CUS-1,DLR-1,DLR-1,USD,UTC,false,\nA2,Telco,CUS-2,CUS-2,,USD,UTC,false,\n");

        // A1 is confirmed as it is (no version of the ingest day); A2 is new, so it has always been so.
        Assert.Equal((2L, 0L), (again.RowsStored, again.RowsRejected));
        Assert.DoesNotContain("undated change", again.Message, StringComparison.Ordinal);
        Assert.Equal(["A1 CUS-1/DLR-1/DLR-1 start..open", "A2 CUS-2/CUS-2/- start..open"], Versions());
    }

    [Fact]
    public void NewerFile_UndatedChange_InForceFromTheIngestDayNeverEarlier()
    {
        Accounts("accounts.csv", "A1,Telco,CUS-1,DLR-1,DLR-1,USD,UTC,false,\nA2,Telco,CUS-2,CUS-2,,USD,UTC,false,\n");
        var moved = Accounts("accounts-v2.csv", "A1,Telco,CUS-1,DLR-2,DLR-2,USD,UTC,false,\nA2,Telco,CUS-2,CUS-2,,USD,UTC,false,\n");

        // The scratch clock says 2026-11-02: months before November keep DLR-1.
        Assert.Contains("1 undated change in force from 2026-11-02", moved.Message, StringComparison.Ordinal);
        Assert.Equal(["A1 CUS-1/DLR-1/DLR-1 start..2026-11-02", "A1 CUS-1/DLR-2/DLR-2 2026-11-02..open", "A2 CUS-2/CUS-2/- start..open"], Versions());
    }

    [Fact]
    public void NewerFile_DatedTransfer_ReplacesTheHistoryFromItsDateOnly()
    {
        Accounts("accounts.csv", "A1,Telco,CUS-1,DLR-1,DLR-1,USD,UTC,false,\n");
        Accounts("accounts-v2.csv", "A1,Telco,CUS-1,DLR-2,DLR-2,USD,UTC,false,\n");

        // A back-dated correction: the transfer really happened on 2026-08-01. The undated version of 2026-11-02 goes.
        var corrected = Accounts("accounts-v3.csv", "A1,Telco,CUS-1,DLR-2,DLR-2,USD,UTC,false,,2026-08-01,\n", dated: true);

        Assert.Equal((1L, 0L), (corrected.RowsStored, corrected.RowsRejected));
        Assert.Equal(["A1 CUS-1/DLR-1/DLR-1 start..2026-08-01", "A1 CUS-1/DLR-2/DLR-2 2026-08-01..open"], Versions());
    }

    [Fact]
    public void NewerFile_WithoutAnAccount_EndsItOnTheIngestDay_PastKept()
    {
        Accounts("accounts.csv", "A1,Telco,CUS-1,DLR-1,DLR-1,USD,UTC,false,\nA2,Telco,CUS-2,CUS-2,,USD,UTC,false,\n");
        var exit = Accounts("accounts-v2.csv", "A2,Telco,CUS-2,CUS-2,,USD,UTC,false,\n");

        Assert.Contains("1 accounts no longer listed ends on 2026-11-02", exit.Message, StringComparison.Ordinal);
        Assert.Equal(["A1 CUS-1/DLR-1/DLR-1 start..2026-11-02", "A2 CUS-2/CUS-2/- start..open"], Versions());
    }

    [Fact]
    public void NewerFile_RowRejectedForABadValue_KeepsThatAccountsHistory()
    {
        Accounts("accounts.csv", "A1,Telco,CUS-1,DLR-1,DLR-1,USD,UTC,false,\nA2,Telco,CUS-2,CUS-2,,USD,UTC,false,\n");
        var typo = Accounts("accounts-v2.csv", "A1,Telco,CUS-1,DLR-2,DLR-2,USD,Mars/Olympus_Mons,false,\nA2,Telco,CUS-2,CUS-2,,USD,UTC,false,\n");

        Assert.Equal((1L, 1L), (typo.RowsStored, typo.RowsRejected));
        Assert.Equal(["A1 CUS-1/DLR-1/DLR-1 start..open", "A2 CUS-2/CUS-2/- start..open"], Versions());
    }

    [Fact]
    public void PartiesFile_ParentChange_KeptAsVersions()
    {
        const string head = "party_id,name,kind,parent_id,valid_from,valid_to\n";
        _lake.Ingest(_lake.Write("parties.csv", head + "DLR-1,Dealer One,dealer,DIST-1,,\nDLR-2,Dealer Two,dealer,DIST-1,,\nCUS-1,Customer,customer,DLR-1,,\n"));
        _lake.Ingest(_lake.Write("parties-v2.csv", head + "DLR-1,Dealer One,dealer,DIST-1,,\nDLR-2,Dealer Two,dealer,DIST-1,,\nCUS-1,Customer,customer,DLR-2,2026-06-01,\n"));

        using var c = _lake.Query();
        Assert.Equal("DLR-1", c.Scalar<string>("SELECT parent_id FROM party_versions WHERE party_id = 'CUS-1' AND tem_in_force(valid_from, valid_to, '2026-05')"));
        Assert.Equal("DLR-2", c.Scalar<string>("SELECT parent_id FROM party_versions WHERE party_id = 'CUS-1' AND tem_in_force(valid_from, valid_to, '2026-06')"));
        Assert.Equal(1L, c.Scalar<long>("SELECT count(*) FROM parties WHERE party_id = 'CUS-1'"));
        Assert.Equal(4L, c.Scalar<long>("SELECT count(*) FROM party_versions"));
    }

    [Fact]
    public void FileWithoutDateColumns_IsOneOpenVersionPerAccount()
    {
        // As every accounts.csv written before the columns existed.
        Accounts("accounts.csv", "A1,Telco,CUS-1,DLR-1,DLR-1,USD,UTC,false,\nA2,Telco,CUS-2,CUS-2,,USD,UTC,false,\n");
        using var c = _lake.Query();
        Assert.Equal(2L, c.Scalar<long>("SELECT count(*) FROM account_versions WHERE valid_from IS NULL AND valid_to IS NULL"));
        Assert.Equal(2L, c.Scalar<long>("SELECT count(*) FROM accounts"));
    }
}
