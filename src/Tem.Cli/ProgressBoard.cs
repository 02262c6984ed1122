using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Tem.Core;

namespace Tem.Cli;

/// <summary>
/// Where a command's stages report how far they are (<see cref="WorkProgress"/>): a live Spectre.Console task per stage
/// on a terminal, or a few milestone lines in plain mode, or nothing (see <see cref="CliOutput.WithProgress{T}"/>).
/// Reports may come from several threads (ingest reads a big file in slices).
/// </summary>
public sealed class ProgressBoard
{
    /// <summary>Steps of a live bar: fine enough for a smooth bar and a rate, whatever the unit.</summary>
    internal const double Scale = 1000;

    /// <summary>Plain mode prints milestones only for an ingest at least this large: a small one is over before a line would help.</summary>
    internal const long MilestoneBytes = 16_000_000;

    private readonly CliOutput? _plain;
    private readonly Func<string, ProgressTask>? _newTask;
    private readonly TimeLeftColumn? _timeLeft;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, Stage> _stages = new(StringComparer.Ordinal);

    /// <summary>A board for plain mode (<paramref name="plain"/> prints the milestones; null prints nothing).</summary>
    internal ProgressBoard(CliOutput? plain, TimeProvider time)
    {
        _plain = plain;
        _time = time;
    }

    /// <summary>A board of live bars: <paramref name="newTask"/> adds a stage's task, <paramref name="timeLeft"/> is the bars' time-left column.</summary>
    internal ProgressBoard(Func<string, ProgressTask> newTask, TimeLeftColumn timeLeft, TimeProvider time)
    {
        _newTask = newTask;
        _timeLeft = timeLeft;
        _time = time;
    }

    /// <summary>A progress receiver for one stage, e.g. <c>ingest</c>.</summary>
    public IProgress<WorkProgress> For(string stage) => new SynchronousProgress<WorkProgress>(p => Report(stage, p));

    /// <summary>Shows how far <paramref name="stage"/> is.</summary>
    public void Report(string stage, WorkProgress progress)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(progress);
        lock (_gate)
        {
            if (!_stages.TryGetValue(stage, out var state))
            {
                state = new Stage(_time.GetTimestamp());
                _stages[stage] = state;
            }

            if (_newTask is not null)
            {
                Live(stage, state, progress);
            }
            else if (_plain is not null)
            {
                Milestone(stage, state, progress);
            }
        }
    }

    /// <summary>What a bar says besides its percentage: the item and the counts in the stage's unit.</summary>
    public static string Describe(WorkProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var item = p.Item.Length > 48 ? "..." + p.Item[^45..] : p.Item;
        return p.Unit switch
        {
            WorkUnit.Bytes => $"{item} ({WorkProgress.Bytes(p.Done)} of {WorkProgress.Bytes(p.Total)})",
            WorkUnit.Rules => p.Done < p.Total
                ? string.Create(CultureInfo.InvariantCulture, $"rule {p.Done + 1} of {p.Total}: {item}")
                : string.Create(CultureInfo.InvariantCulture, $"{p.Total} rules run; {item}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"file {p.Done}: {item}"),
        };
    }

    /// <summary>A time left as <c>0:42</c> or <c>1:02:03</c>.</summary>
    public static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    private void Live(string stage, Stage state, WorkProgress p)
    {
        if (state.Task is null)
        {
            // A new stage means the earlier ones are over: their clocks stop (a run's stages follow one another).
            foreach (var earlier in _stages.Values.Select(s => s.Task).OfType<ProgressTask>())
            {
                earlier.StopTask();
            }

            state.Task = _newTask!(stage);
            if (p.Unit == WorkUnit.Bytes)
            {
                _timeLeft!.Add(state.Task.Id);
            }
        }

        state.Task.Value = p.Fraction * Scale;
        state.Task.Description = Markup.Escape($"{stage}: {Describe(p)}");
    }

    private void Milestone(string stage, Stage state, WorkProgress p)
    {
        // A quarter, a half and three quarters of a large ingest; the per-file lines and the totals say the rest.
        if (p.Unit != WorkUnit.Bytes || p.Total < MilestoneBytes)
        {
            return;
        }

        var quarter = (int)Math.Floor(p.Fraction * 4);
        if (quarter <= state.Quarter || quarter >= 4)
        {
            return;
        }

        state.Quarter = quarter;
        var elapsed = _time.GetElapsedTime(state.Started);
        var left = p.Done > 0 ? TimeSpan.FromTicks((long)(elapsed.Ticks * (double)(p.Total - p.Done) / p.Done)) : TimeSpan.Zero;
        _plain!.Line(string.Create(CultureInfo.InvariantCulture,
            $"{stage}: {quarter * 25}% of {WorkProgress.Bytes(p.Total)} read ({p.Item}), about {Duration(left)} left"));
    }

    private sealed class Stage(long started)
    {
        public long Started { get; } = started;

        public ProgressTask? Task { get; set; }

        public int Quarter { get; set; }
    }

    /// <summary>The time left, for tasks counting bytes only: rules and report files differ too much in cost for a rate to predict.</summary>
    internal sealed class TimeLeftColumn : ProgressColumn
    {
        private readonly HashSet<int> _timed = [];

        protected override bool NoWrap => true;

        /// <summary>Shows the time left of task <paramref name="id"/>.</summary>
        public void Add(int id)
        {
            lock (_timed)
            {
                _timed.Add(id);
            }
        }

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            bool timed;
            lock (_timed)
            {
                timed = _timed.Contains(task.Id);
            }

            // Not before a second and a percent: the first reads (a header, a small file) say nothing of the rate.
            return !timed || task.IsFinished || task.Percentage < 1 || task.ElapsedTime is not { TotalSeconds: >= 1 } || task.RemainingTime is not { } left
                ? new Text("       ")
                : new Text(Duration(left) + " left", new Style(Color.Blue));
        }
    }
}
