using System.Text;
using Atelier.Fingerprints.Text;

namespace Atelier.Fingerprints.Tests.Text;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("ＨＥＬＬＯ，Ｗｏｒｌｄ！", "hello world")]
    [InlineData("  Hello,\n\n\t World -- again!  ", "hello world again")]
    [InlineData("don’t DON'T don\u02BCt", "dont dont dont")]
    [InlineData("‘quoted’ and 'single'", "quoted and single")]
    [InlineData("ﬁne Straße ΣΊΣΥΦΟΣ", "fine strasse σισυφοσ")]
    [InlineData("café cafe\u0301 CAFÉ", "cafe cafe cafe")]
    [InlineData("co\u00ADoperate zero\u200Bwidth", "cooperate zerowidth")]
    [InlineData("①２３ Ⅻ", "123 xii")]
    public void Normalize_formatting_variants_fold_to_one_spelling(string source, string expected) =>
        Assert.Equal(expected, TextNormalizer.NormalizeToString(source));

    [Fact]
    public void Normalize_traditional_and_simplified_fold_together()
    {
        Assert.Equal(TextNormalizer.NormalizeToString("学而时习之，不亦说乎？"), TextNormalizer.NormalizeToString("學而時習之，不亦說乎？"));
        Assert.Equal(TextNormalizer.NormalizeToString("头发"), TextNormalizer.NormalizeToString("頭髮"));
        Assert.Equal(TextNormalizer.NormalizeToString("发现"), TextNormalizer.NormalizeToString("發現"));
        Assert.NotEqual(TextNormalizer.NormalizeToString("学而"), TextNormalizer.NormalizeToString("习之"));
    }

    [Fact]
    public void Normalize_halfwidth_and_fullwidth_kana_fold_alike() =>
        Assert.Equal(TextNormalizer.NormalizeToString("ガギグ"), TextNormalizer.NormalizeToString("ｶﾞｷﾞｸﾞ"));

    [Fact]
    public void Normalize_cjk_punctuation_becomes_single_separators()
    {
        Assert.Equal("子曰 学而时习之 不亦说乎", TextNormalizer.NormalizeToString("子曰：“学而时习之，不亦说乎？”"));
        Assert.Equal("iphone手机 ok", TextNormalizer.NormalizeToString("iPhone手机，OK"));
    }

    [Fact]
    public void Normalize_supplementary_han_is_kept_and_lone_surrogates_separate()
    {
        Assert.Equal("𠀀𠀁", TextNormalizer.NormalizeToString("𠀀𠀁"));
        Assert.Equal("ab cd", TextNormalizer.NormalizeToString("ab\uD800cd"));
        Assert.Equal("ab cd", TextNormalizer.NormalizeToString("ab\uDC00cd"));
    }

    [Fact]
    public void Normalize_empty_and_punctuation_only_give_empty_text()
    {
        Assert.Equal(string.Empty, TextNormalizer.NormalizeToString(string.Empty));
        Assert.Equal(string.Empty, TextNormalizer.NormalizeToString(" ,.;!? —— 。，、\n"));
    }

    [Fact]
    public void Normalize_every_position_maps_back_to_the_source_it_came_from()
    {
        const string Source = "  “Ｈｅｌｌｏ,” said Ａlice — ﬁne. 學而時習之！ cafe\u0301 𠀀x";
        var normalized = TextNormalizer.Normalize(Source);
        Assert.Equal("hello said alice fine 学而时习之 cafe 𠀀x", normalized.Value);
        Assert.Equal(Source.Length, normalized.SourceLength);
        for (var i = 0; i < normalized.Value.Length; i++)
        {
            var start = normalized.GetSourceStart(i);
            var end = normalized.GetSourceEnd(i);
            Assert.InRange(start, 0, end - 1);
            Assert.InRange(end, start + 1, Source.Length);
            var piece = TextNormalizer.NormalizeToString(Source.AsSpan(start, end - start));
            if (normalized.Value[i] == ' ')
            {
                Assert.Equal(string.Empty, piece);
            }
            else
            {
                Assert.Contains(normalized.Value[i], piece);
            }
        }

        // "ﬁne" is one source character expanding to two, and "e" + U+0301 keeps its mark.
        Assert.Equal((Source.IndexOf('ﬁ', StringComparison.Ordinal), 3), normalized.ToSourceSpan(normalized.Value.IndexOf("fine", StringComparison.Ordinal), 4));
        Assert.Equal((Source.IndexOf("cafe", StringComparison.Ordinal), 5), normalized.ToSourceSpan(normalized.Value.IndexOf("cafe", StringComparison.Ordinal), 4));
        Assert.Equal((Source.IndexOf('學'), 5), normalized.ToSourceSpan(normalized.Value.IndexOf('学'), 5));
    }

    [Fact]
    public void Normalize_folding_twice_changes_nothing_for_any_bmp_character()
    {
        var failures = new List<string>();
        for (var cp = 0; cp < 0x10000; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            // Between letters, so a folded separator or apostrophe shows in context.
            var source = "a" + (char)cp + "b";
            var once = TextNormalizer.NormalizeToString(source);
            var twice = TextNormalizer.NormalizeToString(once);
            if (once != twice)
            {
                failures.Add($"U+{cp:X4}: \"{once}\" -> \"{twice}\"");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Normalize_opencc_conversions_fold_back_to_the_simplified_spelling()
    {
        // Every Traditional candidate OpenCC offers for a Simplified character folds with it, except
        // where the candidate is itself an everyday Simplified character (了/瞭, 只/祇, 借/藉 ...).
        var lines = ReadSt().ToList();
        var mismatched = new List<string>();
        var total = 0;
        foreach (var (simplified, candidates) in lines)
        {
            foreach (var traditional in candidates)
            {
                total++;
                if (TextNormalizer.NormalizeToString(traditional) != TextNormalizer.NormalizeToString(simplified))
                {
                    mismatched.Add(simplified + traditional);
                }
            }
        }

        Assert.True(total > 4000, $"the OpenCC table has only {total} candidates");
        Assert.True(mismatched.Count <= 20, $"{mismatched.Count} of {total} OpenCC candidates do not fold back: {string.Join(' ', mismatched)}");
    }

    [Fact]
    public void HanFold_table_maps_only_to_fixed_points()
    {
        Assert.True(HanFold.Count > 4000);
        foreach (var (from, to) in HanFold.Pairs)
        {
            Assert.NotEqual(from, to);
            Assert.Equal(to, HanFold.Fold(to));
        }
    }

    [Fact]
    public void CheckLength_beyond_the_limit_is_refused()
    {
        TextNormalizer.CheckLength(TextNormalizer.MaxSourceLength);
        var e = Assert.Throws<ArgumentException>(() => TextNormalizer.CheckLength(TextNormalizer.MaxSourceLength + 1));
        Assert.Contains("longer than", e.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Simplified, string[] Candidates)> ReadSt()
    {
        using var stream = typeof(ChineseScript).Assembly.GetManifestResourceStream("Atelier.Fingerprints.Tests.Text.opencc-st-characters.txt")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                var parts = line.Split('\t');
                yield return (parts[0], parts[1].Split(' '));
            }
        }
    }
}
