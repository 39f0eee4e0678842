using Atelier.Fingerprints.Text;
using Atelier.Testing;

namespace Atelier.Fingerprints.Tests.Text;

/// <summary>
/// The acceptance evaluation of issue 6 on ../shared/data/text/dev: index the originals, match
/// suspects that embed edited 200–800 character passages in unrelated text, and clean distractors.
/// The per-edit table goes to the test output.
/// </summary>
public sealed class TextEvaluationTests(ITestOutputHelper output)
{
    private const int CasesPerCategory = 200;

    [Fact]
    public void Evaluate_dev_corpus_meets_the_recall_span_and_false_match_targets()
    {
        var corpus = TextCorpus.Load(SharedData.RequireDirectory("data/text/dev"));
        var report = TextEvaluation.Run(corpus, TextFingerprintOptions.Default, TextMatchOptions.Default, CasesPerCategory, markovPerLanguage: 100, seed: 42);
        output.WriteLine(report.ToTable());

        foreach (var category in new[] { "en verbatim", "en formatting", "zh verbatim", "zh formatting" })
        {
            Assert.True(report[category].Recall >= 0.99, $"{category}: recall {report[category].Recall:F3} < 0.99");
        }

        foreach (var category in new[] { "en words", "en shuffled", "zh words", "zh shuffled" })
        {
            Assert.True(report[category].Recall >= 0.90, $"{category}: recall {report[category].Recall:F3} < 0.90");
        }

        Assert.True(report["zh script"].Recall >= 0.80, $"zh script: recall {report["zh script"].Recall:F3} < 0.80");
        Assert.True(report.FalseMatches.Count == 0, "false matches on clean distractors:\n" + string.Join('\n', report.FalseMatches));
        Assert.True(report.Distractors >= 400);

        foreach (var c in report.Categories)
        {
            Assert.Equal(CasesPerCategory, c.Cases);

            // PAN character measures, averaged over the detected cases, in both texts.
            Assert.True(c.SuspectPrecision >= 0.8 && c.OriginalPrecision >= 0.8, $"{c.Category}: character precision below 0.8");
            Assert.True(c.SuspectRecall >= 0.8 && c.OriginalRecall >= 0.8, $"{c.Category}: character recall below 0.8");

            // Every reported span, in the suspect and in the original, lies at least 80% inside
            // the copied text: not a share of them, each one.
            Assert.True(c.Passages > 0, $"{c.Category}: no passages reported");
            Assert.True(c.PassagesBelow80 == 0, $"{c.Category}: {c.PassagesBelow80} passages lie less than 80% inside the copied text:\n" + string.Join('\n', c.Worst));
        }

        // Literal copies grade as partial, edited and reordered ones as transformed.
        Assert.True(report["en verbatim"].Grades.GetValueOrDefault(TextMatchGrade.Partial) >= 0.95 * CasesPerCategory);
        Assert.True(report["en words"].Grades.GetValueOrDefault(TextMatchGrade.Transformed) >= 0.9 * CasesPerCategory);
        Assert.True(report["zh shuffled"].Grades.GetValueOrDefault(TextMatchGrade.Transformed) >= 0.9 * CasesPerCategory);
    }
}
