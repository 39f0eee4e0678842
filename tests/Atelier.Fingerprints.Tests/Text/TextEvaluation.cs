using System.Diagnostics;
using System.Globalization;
using System.Text;
using Atelier.Fingerprints.Text;

namespace Atelier.Fingerprints.Tests.Text;

/// <summary>Results for one category of suspects.</summary>
/// <param name="Category">Language and edit.</param>
/// <param name="Cases">Suspects built.</param>
/// <param name="Detected">Suspects where a passage from the right original overlapped the copied passage.</param>
/// <param name="SuspectPrecision">Mean character precision of the reported suspect spans (PAN: detected chars inside the true span / detected chars).</param>
/// <param name="SuspectRecall">Mean character recall in the suspect (true chars detected / true chars).</param>
/// <param name="OriginalPrecision">Mean character precision of the reported original spans.</param>
/// <param name="OriginalRecall">Mean character recall in the original.</param>
/// <param name="MinPassagePrecision">Lowest share of one reported passage (either side) lying inside the true span.</param>
/// <param name="Passages">Reported passages overlapping a true span.</param>
/// <param name="PassagesBelow80">Of those, passages less than 80% inside the true span on either side.</param>
/// <param name="SpanCasesBelow80">Detected suspects where any of the four character measures fell below 0.8.</param>
/// <param name="Grades">How many detected suspects got each grade.</param>
/// <param name="OtherWorks">Matches with works other than the source.</param>
public sealed record CategoryReport(
    string Category,
    int Cases,
    int Detected,
    double SuspectPrecision,
    double SuspectRecall,
    double OriginalPrecision,
    double OriginalRecall,
    double MinPassagePrecision,
    int Passages,
    int PassagesBelow80,
    int SpanCasesBelow80,
    IReadOnlyDictionary<TextMatchGrade, int> Grades,
    int OtherWorks)
{
    public double Recall => Cases == 0 ? 0 : (double)Detected / Cases;

    /// <summary>Share of reported passages lying at least 80% inside the true span on both sides.</summary>
    public double PassagesWithin80 => Passages == 0 ? 1 : 1 - ((double)PassagesBelow80 / Passages);
}

/// <summary>The whole evaluation: per-category results and the distractors.</summary>
public sealed record EvaluationReport(IReadOnlyList<CategoryReport> Categories, int Distractors, IReadOnlyList<string> FalseMatches, TimeSpan Elapsed)
{
    public double FalseMatchRate => Distractors == 0 ? 0 : (double)FalseMatches.Count / Distractors;

    public CategoryReport this[string category] => Categories.Single(c => c.Category == category);

    /// <summary>A fixed-width table for the test output.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine("category          cases  recall  susp P  susp R  orig P  orig R  passages  in80%  min in  cases<0.8  partial transf near-ex  other");
        foreach (var c in Categories)
        {
            sb.AppendLine(string.Format(
                ci,
                "{0,-16} {1,6} {2,7:F3} {3,7:F3} {4,7:F3} {5,7:F3} {6,7:F3} {7,9} {8,6:F3} {9,7:F2} {10,10} {11,8} {12,6} {13,7} {14,6}",
                c.Category,
                c.Cases,
                c.Recall,
                c.SuspectPrecision,
                c.SuspectRecall,
                c.OriginalPrecision,
                c.OriginalRecall,
                c.Passages,
                c.PassagesWithin80,
                c.MinPassagePrecision,
                c.SpanCasesBelow80,
                c.Grades.GetValueOrDefault(TextMatchGrade.Partial),
                c.Grades.GetValueOrDefault(TextMatchGrade.Transformed),
                c.Grades.GetValueOrDefault(TextMatchGrade.NearExact),
                c.OtherWorks));
        }

        sb.AppendLine(string.Format(ci, "distractors: {0}, false matches: {1} (rate {2:F4}); {3:F1} s", Distractors, FalseMatches.Count, FalseMatchRate, Elapsed.TotalSeconds));
        foreach (var f in FalseMatches.Take(10))
        {
            sb.AppendLine("  false match: " + f);
        }

        return sb.ToString();
    }
}

/// <summary>
/// Runs the copy-detection evaluation: indexes the corpus' originals, matches every suspect and
/// distractor, and scores the reports with PAN-style character measures.
/// </summary>
public static class TextEvaluation
{
    public static EvaluationReport Run(TextCorpus corpus, TextFingerprintOptions options, TextMatchOptions matchOptions, int casesPerCategory, int markovPerLanguage, int seed)
    {
        var clock = Stopwatch.StartNew();
        var fingerprinter = new TextFingerprinter(options);
        using var index = new TextIndex(options, matchOptions);
        index.AddRange(corpus.Originals.Select(d => KeyValuePair.Create(d.Id, fingerprinter.Fingerprint(d.Text))));

        var builder = new SuspectBuilder(corpus, seed);
        var reports = new List<CategoryReport>();
        foreach (var (language, edit) in SuspectBuilder.Categories)
        {
            var cases = builder.Build(language, edit, casesPerCategory);
            reports.Add(Score(SuspectBuilder.CategoryName(language, edit), cases, c => index.Match(fingerprinter.Analyze(c.Text))));
        }

        var falseMatches = new List<string>();
        var distractors = builder.Distractors(markovPerLanguage);
        foreach (var distractor in distractors)
        {
            foreach (var match in index.Match(fingerprinter.Analyze(distractor.Text)))
            {
                var p = match.Passages[0];
                falseMatches.Add($"{distractor.Name} -> {match.WorkId} ({match.Grade}, {match.Passages.Count} passages, first: \"{Excerpt(distractor.Text, p.Suspect)}\" ~ {p.SharedFingerprints} fingerprints)");
            }
        }

        return new EvaluationReport(reports, distractors.Count, falseMatches, clock.Elapsed);
    }

    private static CategoryReport Score(string category, List<SuspectCase> cases, Func<SuspectCase, IReadOnlyList<TextMatch>> match)
    {
        int detected = 0, below = 0, otherWorks = 0, passageCount = 0, passagesBelow = 0;
        double sp = 0, sr = 0, op = 0, or = 0, minPassage = 1;
        var grades = new Dictionary<TextMatchGrade, int>();
        foreach (var c in cases)
        {
            var matches = match(c);
            otherWorks += matches.Count(m => m.WorkId != c.SourceId);
            var own = matches.FirstOrDefault(m => m.WorkId == c.SourceId);
            var passages = own?.Passages.Where(p => Overlap(p.Suspect, c.SuspectSpan) > 0).ToList() ?? [];
            if (passages.Count == 0)
            {
                continue;
            }

            detected++;
            grades[own!.Grade] = grades.GetValueOrDefault(own.Grade) + 1;
            var (p1, r1) = Measure(passages.Select(p => p.Suspect), c.SuspectSpan);
            var (p2, r2) = Measure(passages.Select(p => p.Original), c.OriginalSpan);
            sp += p1;
            sr += r1;
            op += p2;
            or += r2;
            if (Math.Min(Math.Min(p1, r1), Math.Min(p2, r2)) < 0.8)
            {
                below++;
            }

            foreach (var p in passages)
            {
                var inside = Math.Min(
                    (double)Overlap(p.Suspect, c.SuspectSpan) / p.Suspect.Length,
                    (double)Overlap(p.Original, c.OriginalSpan) / p.Original.Length);
                minPassage = Math.Min(minPassage, inside);
                passageCount++;
                passagesBelow += inside < 0.8 ? 1 : 0;
            }
        }

        var d = Math.Max(detected, 1);
        return new CategoryReport(category, cases.Count, detected, sp / d, sr / d, op / d, or / d, minPassage, passageCount, passagesBelow, below, grades, otherWorks);
    }

    /// <summary>Character precision and recall of a set of detected spans against one true span.</summary>
    private static (double Precision, double Recall) Measure(IEnumerable<TextSpan> detected, TextSpan truth)
    {
        var covered = new bool[Math.Max(truth.End, detected.Max(s => s.End))];
        foreach (var span in detected)
        {
            Array.Fill(covered, true, span.Start, span.Length);
        }

        int inside = 0, all = 0;
        for (var i = 0; i < covered.Length; i++)
        {
            if (covered[i])
            {
                all++;
                if (i >= truth.Start && i < truth.End)
                {
                    inside++;
                }
            }
        }

        return (all == 0 ? 0 : (double)inside / all, (double)inside / truth.Length);
    }

    private static int Overlap(TextSpan a, TextSpan b) => Math.Max(0, Math.Min(a.End, b.End) - Math.Max(a.Start, b.Start));

    private static string Excerpt(string text, TextSpan span) =>
        text.Substring(span.Start, Math.Min(span.Length, 60)).ReplaceLineEndings(" ");
}
