using System.Diagnostics;
using System.Globalization;
using System.Text;
using Atelier.Fingerprints.Image;

namespace Atelier.Fingerprints.Tests.Image;

/// <summary>
/// Issue 3's acceptance on the dev photos: recall per required edit with no false match among the
/// originals and the unrelated photos. The table goes to the test output for the report.
/// </summary>
public sealed class ImageMatchEvaluationTests(EvaluationFixture fixture, ITestOutputHelper output) : IClassFixture<EvaluationFixture>
{
    // Issue 3 targets: 1.00 where PDQ already survives (0.95 for brightness/contrast), 0.95 for flip,
    // caption and frame, 0.90 for the 80% crop, 0.80 for the 70% crop, the 8° turn and the paste.
    private static readonly Dictionary<string, double> Targets = new(StringComparer.Ordinal)
    {
        ["resize-40"] = 1.0,
        ["jpeg-q25"] = 1.0,
        ["crop-centre-80-area"] = 0.90,
        ["crop-left-70"] = 0.80,
        ["rotate-8"] = 0.80,
        ["brightness-contrast-25"] = 0.95,
        ["flip-horizontal"] = 0.95,
        ["greyscale"] = 1.0,
        ["caption"] = 0.95,
        ["frame-10"] = 0.95,
        ["gamma-1.6"] = 1.0,
        ["pasted-60"] = 0.80,
    };

    [Fact]
    public void Match_required_edits_meets_issue_targets()
    {
        var data = fixture.Get();
        using var index = Register(data);
        var sw = Stopwatch.StartNew();
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"fingerprinting {data.Originals.Count} photos, {data.Edits.Count} edits and {data.Unrelated.Count} unrelated photos took {data.BuildTime.TotalSeconds:F1} s");
        table.AppendLine("| edit | recall | pdq-only recall | near-exact | transformed | partial | wrong work |");
        table.AppendLine("|---|---|---|---|---|---|---|");
        var failures = new List<string>();
        var wrongWorks = new List<string>();
        var recalls = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var edit in ImageEdits.Names)
        {
            int found = 0, pdqOnly = 0, wrongHere = 0;
            var grades = new int[3];
            for (var i = 0; i < data.Originals.Count; i++)
            {
                var matches = index.Match(data.Edits[(i, edit)]);
                var expected = data.Names[i];
                var hit = matches.FirstOrDefault(m => m.WorkId == expected);
                foreach (var m in matches.Where(m => m.WorkId != expected))
                {
                    wrongHere++;
                    wrongWorks.Add($"{edit} of {expected} -> {m.WorkId} ({m.Grade.ToWire()}, {m.Variant})");
                }

                if (hit is not null)
                {
                    found++;
                    grades[(int)hit.Grade]++;
                    pdqOnly += hit.Distance is not null ? 1 : 0;
                }
                else
                {
                    failures.Add($"{edit} {expected}");
                }
            }

            var n = (double)data.Originals.Count;
            recalls[edit] = found / n;
            table.AppendLine(CultureInfo.InvariantCulture, $"| {edit} | {found / n:F2} | {pdqOnly / n:F2} | {grades[0]} | {grades[1]} | {grades[2]} | {wrongHere} |");
        }

        table.AppendLine(CultureInfo.InvariantCulture, $"{data.Edits.Count} queries in {sw.Elapsed.TotalSeconds:F1} s ({sw.Elapsed.TotalMilliseconds / data.Edits.Count:F1} ms each)");
        table.AppendLine("misses: " + string.Join(", ", failures));
        table.AppendLine("wrong works: " + string.Join("; ", wrongWorks));
        output.WriteLine(table.ToString());

        foreach (var edit in ImageEdits.Names)
        {
            Assert.True(recalls[edit] >= Targets[edit], $"{edit}: recall {recalls[edit]:F2} below {Targets[edit]:F2}");
        }

        Assert.Empty(wrongWorks);
    }

    [Fact]
    public void Match_distinct_originals_and_unrelated_photos_no_false_match()
    {
        var data = fixture.Get();
        using var index = Register(data);
        var queries = data.Names.Zip(data.Originals, (n, f) => (Name: n, Fingerprint: f)).Concat(data.Unrelated).ToList();
        var falseMatches = new List<string>();
        foreach (var (name, fingerprint) in queries)
        {
            foreach (var m in index.Match(fingerprint).Where(m => m.WorkId != name))
            {
                falseMatches.Add($"{name} -> {m.WorkId} ({m.Grade.ToWire()}, {m.Variant})");
            }
        }

        var pairs = queries.Count * (queries.Count - 1) / 2;
        output.WriteLine($"{queries.Count} distinct photos ({data.Originals.Count} dev originals + {data.Unrelated.Count} unrelated), {pairs} pairs: {falseMatches.Count} false matches");
        foreach (var f in falseMatches)
        {
            output.WriteLine(f);
        }

        Assert.Empty(falseMatches);
    }

    [Fact]
    public void Match_each_original_finds_itself_near_exact()
    {
        var data = fixture.Get();
        using var index = Register(data);
        for (var i = 0; i < data.Originals.Count; i++)
        {
            var best = index.Match(data.Originals[i]).FirstOrDefault();
            Assert.NotNull(best);
            Assert.Equal(data.Names[i], best.WorkId);
            if (!data.Originals[i].IsLowQuality)
            {
                Assert.Equal(ImageMatchGrade.NearExact, best.Grade);
                Assert.Equal(0, best.Distance);
            }
        }
    }

    private static ImageMatchIndex Register(EvaluationFixture.Data data)
    {
        var index = new ImageMatchIndex();
        for (var i = 0; i < data.Originals.Count; i++)
        {
            index.Add(data.Names[i], data.Originals[i]);
        }

        foreach (var (name, fingerprint) in data.Unrelated)
        {
            index.Add(name, fingerprint);
        }

        return index;
    }
}
