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
/// <param name="MinCaseRecall">Lowest character recall of one detected suspect, either text.</param>
/// <param name="CasesRecallBelow80">Detected suspects whose character recall fell below 0.8 in either text.</param>
/// <param name="Passages">Every passage reported with the source original.</param>
/// <param name="MinSuspectInside">Lowest share of one of those passages' suspect spans lying inside the copied text.</param>
/// <param name="MinOriginalInside">Lowest share of one of those passages' original spans lying inside the text copied from.</param>
/// <param name="Grades">How many detected suspects got each grade.</param>
/// <param name="OtherWorks">Matches with works other than the source: originals that contain the copied text too.</param>
/// <param name="Worst">Passages, of any work, less than 80% inside the true span in either text where it is known (for another work only the suspect side has one: the copied passage), described for the test output.</param>
public sealed record CategoryReport(
    string Category,
    int Cases,
    int Detected,
    double SuspectPrecision,
    double SuspectRecall,
    double OriginalPrecision,
    double OriginalRecall,
    double MinCaseRecall,
    int CasesRecallBelow80,
    int Passages,
    double MinSuspectInside,
    double MinOriginalInside,
    IReadOnlyDictionary<TextMatchGrade, int> Grades,
    int OtherWorks,
    IReadOnlyList<string> Worst)
{
    /// <summary>How many passages lie less than 80% inside their true span: <see cref="Worst"/>'s count.</summary>
    public int PassagesBelow80 => Worst.Count;

    public double Recall => Cases == 0 ? 0 : (double)Detected / Cases;
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
        sb.AppendLine("category          cases  recall  susp P  susp R  orig P  orig R  min R  R<0.8  passages  min in S  min in O  <80%  partial transf near-ex  other");
        foreach (var c in Categories)
        {
            sb.AppendLine(string.Format(
                ci,
                "{0,-16} {1,6} {2,7:F3} {3,7:F3} {4,7:F3} {5,7:F3} {6,7:F3} {7,6:F2} {8,6} {9,9} {10,9:F3} {11,9:F3} {12,5} {13,8} {14,6} {15,7} {16,6}",
                c.Category,
                c.Cases,
                c.Recall,
                c.SuspectPrecision,
                c.SuspectRecall,
                c.OriginalPrecision,
                c.OriginalRecall,
                c.MinCaseRecall,
                c.CasesRecallBelow80,
                c.Passages,
                c.MinSuspectInside,
                c.MinOriginalInside,
                c.PassagesBelow80,
                c.Grades.GetValueOrDefault(TextMatchGrade.Partial),
                c.Grades.GetValueOrDefault(TextMatchGrade.Transformed),
                c.Grades.GetValueOrDefault(TextMatchGrade.NearExact),
                c.OtherWorks));
            foreach (var w in c.Worst.Take(5))
            {
                sb.AppendLine("  below 80%: " + w);
            }
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
        int detected = 0, recallBelow = 0, otherWorks = 0, passageCount = 0;
        double sp = 0, sr = 0, op = 0, or = 0, minRecall = 1, minSuspect = 1, minOriginal = 1;
        var grades = new Dictionary<TextMatchGrade, int>();
        var worst = new List<string>();
        foreach (var c in cases)
        {
            var matches = match(c);

            // Every reported span is measured, whichever work it names. Another work that matches
            // contains the copied text too (the corpus has such echoes: Mencius quotes the Book of
            // Songs), so there only the suspect side has a known truth: the copied passage.
            foreach (var other in matches.Where(m => m.WorkId != c.SourceId))
            {
                otherWorks++;
                foreach (var p in other.Passages)
                {
                    var inside = Inside(p.Suspect, c.SuspectSpan);
                    if (inside < 0.8)
                    {
                        worst.Add($"{c.SourceId} (echo in {other.WorkId}): suspect {p.Suspect} {inside:F2} inside {c.SuspectSpan} \"{Excerpt(c.Text, p.Suspect)}\"");
                    }
                }
            }

            var own = matches.FirstOrDefault(m => m.WorkId == c.SourceId);
            if (own is null)
            {
                continue;
            }

            foreach (var p in own.Passages)
            {
                var inSuspect = Inside(p.Suspect, c.SuspectSpan);
                var inOriginal = Inside(p.Original, c.OriginalSpan);
                minSuspect = Math.Min(minSuspect, inSuspect);
                minOriginal = Math.Min(minOriginal, inOriginal);
                passageCount++;
                if (Math.Min(inSuspect, inOriginal) < 0.8)
                {
                    worst.Add($"{c.SourceId}: suspect {p.Suspect} {inSuspect:F2} inside {c.SuspectSpan}, original {p.Original} {inOriginal:F2} inside {c.OriginalSpan} \"{Excerpt(c.Text, p.Suspect)}\"");
                }
            }

            if (!own.Passages.Any(p => Overlap(p.Suspect, c.SuspectSpan) > 0))
            {
                continue;
            }

            detected++;
            grades[own.Grade] = grades.GetValueOrDefault(own.Grade) + 1;
            var (p1, r1) = Measure(own.Passages.Select(p => p.Suspect), c.SuspectSpan);
            var (p2, r2) = Measure(own.Passages.Select(p => p.Original), c.OriginalSpan);
            sp += p1;
            sr += r1;
            op += p2;
            or += r2;
            minRecall = Math.Min(minRecall, Math.Min(r1, r2));
            recallBelow += Math.Min(r1, r2) < 0.8 ? 1 : 0;
        }

        var d = Math.Max(detected, 1);
        return new CategoryReport(
            category, cases.Count, detected, sp / d, sr / d, op / d, or / d, minRecall, recallBelow,
            passageCount, minSuspect, minOriginal, grades, otherWorks, worst);
    }

    /// <summary>Share of <paramref name="reported"/> lying inside <paramref name="truth"/>.</summary>
    private static double Inside(TextSpan reported, TextSpan truth) =>
        reported.Length == 0 ? 0 : (double)Overlap(reported, truth) / reported.Length;

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
