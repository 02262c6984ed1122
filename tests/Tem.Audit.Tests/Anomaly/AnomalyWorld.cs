using System.Globalization;
using System.Text;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Audit.Tests.Anomaly;

/// <summary>
/// A hand-built lake for the model rules: one New York account with a rate deck and four SIP trunks whose calls run
/// from 2026-04-01 to 2026-09-30 (six a weekday in office hours, one on a weekend day, none on three holidays; one in
/// twenty to the UK, the rest to the US), and what is planted on top:
/// <list type="bullet">
/// <item><c>S-SPIKE</c>: 40 long calls to the UK on Wednesday 2026-08-12 (<see cref="SpikeBilled"/>).</item>
/// <item><c>S-FRAUD</c>: 30 calls to +882 premium numbers within an hour after 01:10 on Saturday 2026-07-11 (<see cref="FraudBilled"/>).</item>
/// <item><c>S-NEW</c>: activated 2026-09-18, ordinary calls, then 20 three-hour calls on 2026-09-29: a day that would be
/// anomalous with a history, but the service has only 11 days of it (the account, with six months, does see it).</item>
/// <item><c>S-CLEAN</c>: nothing.</item>
/// <item>Six mobile lines in an unlimited bundle (data billed 0), a session of 10-30 MB a day; <c>M-BLOAT</c> uses about
/// 1 GB a day through August.</item>
/// </list>
/// Every call is billed at the deck price (60/60 increments), so the planted amounts are known exactly.
/// </summary>
public sealed class AnomalyWorld : IDisposable
{
    private const decimal UsRate = 0.02m;
    private const decimal UkRate = 0.10m;
    private const decimal PremiumRate = 3.00m;
    private const decimal PremiumConnect = 0.50m;

    private static readonly DateOnly[] Holidays = [new(2026, 5, 25), new(2026, 7, 3), new(2026, 9, 7)];

    private readonly List<string> _usage = ["record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id"];
    private readonly Dictionary<string, decimal> _billed = [];
    private readonly TestLake _world = new("tem-anomaly-world", AuditScratch.Clock);

    public AnomalyWorld()
    {
        Ingest("parties.csv", "party_id,name,kind,parent_id\nCUS1,Acme,customer,\n");
        Ingest("accounts.csv", "account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id\nA1,Telco,CUS1,CUS1,,USD,America/New_York,false,D1\n");
        Ingest("plans.csv", """
            plan_id,carrier,service_type,name,monthly_fee,included_minutes,included_sms,included_data_mb,overage_per_minute,overage_per_sms,overage_per_mb,effective_from,effective_to
            SIP,Telco,sip_trunk,Trunk,90.00,,,,,,,2025-01-01,
            MOB,Telco,mobile,Unlimited,30.00,,,,,,,2025-01-01,
            """);
        Ingest("rates.csv", """
            rate_plan_id,prefix,destination,time_band,rate_per_minute,connect_fee,initial_increment_s,subsequent_increment_s,effective_from,effective_to
            D1,1,United States,any,0.02,0,60,60,2025-01-01,
            D1,44,United Kingdom,any,0.10,0,60,60,2025-01-01,
            D1,882,International Networks (premium),any,3.00,0.50,60,60,2025-01-01,
            """);
        Ingest("services.csv", """
            service_id,account_id,service_type,plan_id,status,activated_on,disconnected_on,cost_center
            S-CLEAN,A1,sip_trunk,SIP,active,2025-01-01,,CC
            S-SPIKE,A1,sip_trunk,SIP,active,2025-01-01,,CC
            S-FRAUD,A1,sip_trunk,SIP,active,2025-01-01,,CC
            S-NEW,A1,sip_trunk,SIP,active,2026-09-18,,CC
            M1,A1,mobile,MOB,active,2025-01-01,,CC
            M2,A1,mobile,MOB,active,2025-01-01,,CC
            M3,A1,mobile,MOB,active,2025-01-01,,CC
            M4,A1,mobile,MOB,active,2025-01-01,,CC
            M5,A1,mobile,MOB,active,2025-01-01,,CC
            M-BLOAT,A1,mobile,MOB,active,2025-01-01,,CC
            """);

        var rng = new Random(20260401);
        foreach (var service in new[] { "S-CLEAN", "S-SPIKE", "S-FRAUD", "S-NEW" })
        {
            var first = service == "S-NEW" ? new DateOnly(2026, 9, 18) : new DateOnly(2026, 4, 1);
            for (var day = first; day <= new DateOnly(2026, 9, 30); day = day.AddDays(1))
            {
                if (Array.IndexOf(Holidays, day) >= 0)
                {
                    continue;
                }

                var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
                for (var k = 0; k < (weekend ? 1 : 6); k++)
                {
                    var start = day.ToDateTime(new TimeOnly(9, 0)).AddSeconds(rng.Next(8 * 3600));
                    var seconds = 30 + rng.Next(570);
                    _ = rng.NextDouble() < 0.05
                        ? Call(service, start, seconds, "+44207946" + rng.Next(10000).ToString("D4", CultureInfo.InvariantCulture), UkRate, 0)
                        : Call(service, start, seconds, "+1212555" + rng.Next(10000).ToString("D4", CultureInfo.InvariantCulture), UsRate, 0);
                }
            }
        }

        foreach (var mobile in new[] { "M1", "M2", "M3", "M4", "M5", "M-BLOAT" })
        {
            for (var day = new DateOnly(2026, 4, 1); day <= new DateOnly(2026, 9, 30); day = day.AddDays(1))
            {
                var bloated = mobile == "M-BLOAT" && day.Month == 8;
                var mb = bloated ? 900 + rng.Next(300) : 10 + rng.Next(20);
                _usage.Add(string.Create(CultureInfo.InvariantCulture,
                    $"D{_usage.Count},Telco,A1,{mobile},data,{day:yyyy-MM-dd}T12:00:00-04:00,0,,{mb}.5,0.0000,INV-{day:yyyy-MM}"));
            }
        }

        for (var k = 0; k < 40; k++)
        {
            SpikeBilled += Call("S-SPIKE", new DateTime(2026, 8, 12, 9, 30, 0).AddMinutes(11 * k), 1200 + rng.Next(600), "+44207946" + k.ToString("D4", CultureInfo.InvariantCulture), UkRate, 0);
        }

        var t = new DateTime(2026, 7, 11, 1, 10, 0);
        for (var k = 0; k < 30; k++)
        {
            FraudBilled += Call("S-FRAUD", t, 600 + rng.Next(1200), "+88216" + rng.Next(10_000_000).ToString("D7", CultureInfo.InvariantCulture), PremiumRate, PremiumConnect);
            t = t.AddSeconds(60 + rng.Next(60));
        }

        for (var k = 0; k < 20; k++)
        {
            NewServiceHeavyDay += Call("S-NEW", new DateTime(2026, 9, 29, 9, 0, 0).AddMinutes(20 * k), 10_800, "+1212555" + rng.Next(10000).ToString("D4", CultureInfo.InvariantCulture), UsRate, 0);
        }

        Ingest("usage.csv", string.Join('\n', _usage) + "\n");
    }

    public string Folder => _world.Folder;

    public TemLake Lake => _world.Lake;

    /// <summary>What the 40 planted UK calls of S-SPIKE were billed.</summary>
    public decimal SpikeBilled { get; }

    /// <summary>What the 30 planted premium calls of S-FRAUD were billed.</summary>
    public decimal FraudBilled { get; }

    /// <summary>What the 20 three-hour calls of S-NEW on 2026-09-29 were billed.</summary>
    public decimal NewServiceHeavyDay { get; }

    /// <summary>Everything S-NEW was billed (all of it in September).</summary>
    public decimal NewServiceBilled => _billed.GetValueOrDefault("S-NEW");

    public AuditResult Audit(IReadOnlyDictionary<string, string>? settings = null, string run = "run-1") =>
        new AuditEngine(Lake, AuditScratch.Clock).Run(new AuditOptions { Settings = settings ?? new Dictionary<string, string>() }, run);

    public void Dispose() => _world.Dispose();

    private decimal Call(string service, DateTime local, int seconds, string number, decimal rate, decimal connect)
    {
        var billed = connect + (rate * Math.Ceiling(seconds / 60m));
        _billed[service] = _billed.GetValueOrDefault(service) + billed;
        _usage.Add(string.Create(CultureInfo.InvariantCulture,
            $"R{_usage.Count},Telco,A1,{service},voice,{local:yyyy-MM-ddTHH:mm:ss}-04:00,{seconds},{number},0,{billed:0.0000},INV-{local:yyyy-MM}"));
        return billed;
    }

    private void Ingest(string name, string text) => _world.IngestText(name, text, "world");
}
