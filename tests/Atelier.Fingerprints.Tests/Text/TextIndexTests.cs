using System.Text;
using Atelier.Fingerprints.Text;

namespace Atelier.Fingerprints.Tests.Text;

public sealed class TextIndexTests
{
    private static readonly TextFingerprinter Fingerprinter = TextFingerprinter.Default;

    [Fact]
    public void Match_embedded_verbatim_passage_reports_its_spans_in_both_texts()
    {
        var original = Words(seed: 1, count: 600);
        var (start, end) = WordSpan(original, firstWord: 200, words: 80);
        var before = Words(seed: 2, count: 120) + "\n\n";
        var suspect = before + original[start..end] + "\n\n" + Words(seed: 3, count: 120);
        using var index = IndexOf(("original", original), ("other", Words(seed: 4, count: 600)));

        var match = Assert.Single(index.Match(Fingerprinter.Analyze(suspect)));
        Assert.Equal("original", match.WorkId);
        Assert.Equal(TextMatchGrade.Partial, match.Grade);
        var passage = Assert.Single(match.Passages);
        Assert.False(passage.IsApproximate);
        Assert.Equal(1, passage.Coverage);
        AssertInside(passage.Suspect, before.Length, before.Length + end - start, minShare: 0.9);
        AssertInside(passage.Original, start, end, minShare: 0.9);
        Assert.InRange(match.OriginalShare, 0.1, (double)(end - start) / original.Length + 0.01);
        Assert.InRange(match.SuspectShare, 0.2, 0.5);
        Assert.Equal(Math.Max(match.SuspectShare, match.OriginalShare), match.Score);
    }

    [Fact]
    public void Match_new_original_against_stored_suspect_sets_finds_the_earlier_copy()
    {
        // The rescan: suspects were stored as fingerprint sets only; a new original searches them.
        var original = Words(seed: 19, count: 500);
        var (start, end) = WordSpan(original, firstWord: 100, words: 60);
        var before = Words(seed: 20, count: 90) + " ";
        var suspect = before + original[start..end] + " " + Words(seed: 21, count: 90);
        using var suspects = IndexOf(("suspect", suspect), ("innocent", Words(seed: 22, count: 200)));

        var match = Assert.Single(suspects.Match(Fingerprinter.Analyze(original)));
        Assert.Equal("suspect", match.WorkId);
        var passage = Assert.Single(match.Passages);
        AssertInside(passage.Suspect, start, end, minShare: 0.9);
        AssertInside(passage.Original, before.Length, before.Length + end - start, minShare: 0.9);
    }

    [Fact]
    public void Match_whole_copy_reformatted_is_near_exact()
    {
        var original = Words(seed: 5, count: 300);
        var suspect = "  " + original.ToUpperInvariant().Replace(" ", "\n ", StringComparison.Ordinal).Replace(".", " !", StringComparison.Ordinal);
        using var index = IndexOf(("original", original));

        var match = Assert.Single(index.Match(Fingerprinter.Analyze(suspect)));
        Assert.Equal(TextMatchGrade.NearExact, match.Grade);
        Assert.Equal(1, match.Score);
        Assert.Equal(1, match.DocumentSimilarity);
        var passage = Assert.Single(match.Passages);
        Assert.Equal(2, passage.Suspect.Start);
        Assert.Equal(0, passage.Original.Start);
    }

    [Fact]
    public void Match_edited_and_reordered_copies_are_transformed()
    {
        var original = Words(seed: 6, count: 400);
        var words = original.Split(' ');
        var random = new Random(6);
        var edited = string.Join(' ', words.Select(w => random.Next(10) == 0 ? "zzz" + w : w));
        var sentences = original.Split(". ");
        var reordered = string.Join(". ", sentences.Reverse());
        using var index = IndexOf(("original", original));

        foreach (var suspect in new[] { edited, reordered })
        {
            var match = Assert.Single(index.Match(Fingerprinter.Analyze(suspect)));
            Assert.Equal(TextMatchGrade.Transformed, match.Grade);
            Assert.Contains(match.Passages, p => p.IsApproximate);
            Assert.True(match.OriginalShare > 0.8, $"original share {match.OriginalShare}");
        }
    }

    [Fact]
    public void Match_chinese_passage_in_the_other_script_is_found_in_mixed_text()
    {
        var original = "Preface in English, kept short. " + Han(seed: 7, count: 900);
        var passage = original.Substring(300, 250);
        var converted = ChineseScript.ToTraditional(passage, new Random(7));
        Assert.NotEqual(passage, converted);
        var suspect = Han(seed: 8, count: 300) + converted + " and some English words after it";
        using var index = IndexOf(("original", original));

        var match = Assert.Single(index.Match(Fingerprinter.Analyze(suspect)));
        AssertInside(Assert.Single(match.Passages).Original, 300, 550, minShare: 0.9);
    }

    [Fact]
    public void Match_shuffled_lines_with_a_repeated_heading_places_every_passage_inside_the_copy()
    {
        // Wang Wei's five 扶南曲歌詞 share one heading but for its numeral. The suspect copies the
        // middle of the cycle with its lines shuffled, heading 三 among them; the heading's shared
        // k-gram also occurs four more times in the original, one of them (heading 五) just past a
        // copied line, where a chain could reach it.
        const string Cycle =
            "《奉和聖製送不蒙都護兼鴻臚卿歸安西應制》\n上卿增命服，都護揚歸斾。\n雜虜盡朝周，諸胡皆自鄶。\n鳴笳瀚海曲，按節陽關外。\n落日下河源，寒山靜秋塞。\n" +
            "萬方氛祲息，六合乾坤大。\n無戰是天心，天心同覆載。\n\n" +
            "《扶南曲歌詞五首 一》\n翠羽流蘇帳，春眠曙不開。\n羞從面色起，嬌逐語聲來。\n早向昭陽殿，君王中使催。\n\n" +
            "《扶南曲歌詞五首 二》\n堂上青弦動，堂前綺席陳。\n齊歌盧女曲，雙舞洛陽人。\n傾國徒相看，寧知心所親。\n\n" +
            "《扶南曲歌詞五首 三》\n香氣傳空滿，妝華影箔通。\n歌聞天仗外，舞出御樓中。\n日暮歸何處，花間長樂宮。\n\n" +
            "《扶南曲歌詞五首 四》\n宮女還金屋，將眠復畏明。\n入春輕衣好，半夜薄妝成。\n拂曙朝前殿，玉墀多珮聲。\n\n" +
            "《扶南曲歌詞五首 五》\n朝日照綺窗，佳人坐臨鏡。\n散黛恨猶輕，插釵嫌未正。\n同心勿遽遊，幸待春妝竟。\n\n" +
            "《隴西行》\n十里一走馬，五里一揚鞭。\n都護軍書至，匈奴圍酒泉。\n關山正飛雪，烽火斷無煙。\n";
        const string Shuffled =
            "齊歌盧女曲，雙舞洛陽人。傾國徒相看，寧知心所親。日暮歸何處，花間長樂宮。宮女還金屋，將眠復畏明。堂上青弦動，堂前綺席陳。" +
            "《扶南曲歌詞五首 三》早向昭陽殿，君王中使催。翠羽流蘇帳，春眠曙不開。羞從面色起，嬌逐語聲來。《扶南曲歌詞五首 一》" +
            "歌聞天仗外，舞出御樓中。《扶南曲歌詞五首 二》無戰是天心，天心同覆載。萬方氛祲息，六合乾坤大。《扶南曲歌詞五首 四》香氣傳空滿，妝華影箔通。";
        var original = Han(seed: 30, count: 400) + "\n\n" + Cycle + "\n" + Han(seed: 31, count: 400);
        var copiedStart = original.IndexOf("萬方氛祲息", StringComparison.Ordinal);
        var copiedEnd = original.IndexOf("將眠復畏明。", StringComparison.Ordinal) + "將眠復畏明。".Length;
        var before = Han(seed: 32, count: 120) + "\n\n";
        var suspect = before + Shuffled + "\n\n" + Han(seed: 33, count: 300);
        using var index = IndexOf(("wang-wei", original));

        var match = Assert.Single(index.Match(Fingerprinter.Analyze(suspect)));
        Assert.Equal(TextMatchGrade.Transformed, match.Grade);
        Assert.NotEmpty(match.Passages);
        foreach (var passage in match.Passages)
        {
            AssertInside(passage.Suspect, before.Length, before.Length + Shuffled.Length, minShare: 0.8, minRecall: 0);
            AssertInside(passage.Original, copiedStart, copiedEnd, minShare: 0.8, minRecall: 0);
        }

        // Together the passages still cover most of the copy.
        var found = Enumerable.Range(before.Length, Shuffled.Length).Count(i => match.Passages.Any(p => i >= p.Suspect.Start && i < p.Suspect.End));
        Assert.True(found >= 0.8 * Shuffled.Length, $"the passages cover {found} of {Shuffled.Length} copied characters");
    }

    [Fact]
    public void Match_unrelated_text_finds_nothing()
    {
        using var index = IndexOf(("a", Words(seed: 9, count: 500)), ("b", Han(seed: 10, count: 800)));
        Assert.Empty(index.Match(Fingerprinter.Analyze(Words(seed: 11, count: 500) + Han(seed: 12, count: 800))));
        Assert.Empty(index.Match(Fingerprinter.Analyze(string.Empty)));
    }

    [Fact]
    public void Remove_and_replace_change_what_matches()
    {
        var first = Words(seed: 13, count: 300);
        var second = Words(seed: 14, count: 300);
        using var index = IndexOf(("work", first));
        Assert.True(index.Contains("work"));
        Assert.Single(index.Match(Fingerprinter.Analyze(first)));

        index.Add("work", Fingerprinter.Fingerprint(second));
        Assert.Equal(1, index.Count);
        Assert.Empty(index.Match(Fingerprinter.Analyze(first)));
        Assert.Single(index.Match(Fingerprinter.Analyze(second)));

        Assert.True(index.Remove("work"));
        Assert.False(index.Remove("work"));
        Assert.Empty(index.Match(Fingerprinter.Analyze(second)));
        Assert.Equal(0, index.FingerprintCount);
    }

    [Fact]
    public void Add_fingerprints_made_otherwise_is_refused()
    {
        using var index = new TextIndex();
        var other = new TextFingerprinter(new TextFingerprintOptions { Window = 8 });
        var e = Assert.Throws<ArgumentException>(() => index.Add("w", other.Fingerprint(Words(seed: 15, count: 50))));
        Assert.Contains("fingerprint the text again", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => index.Match(other.Analyze("some text")));
        Assert.Throws<ArgumentException>(() => index.Add(string.Empty, Fingerprinter.Fingerprint("x")));
        Assert.Throws<ArgumentException>(() => index.AddRange([KeyValuePair.Create("a", Fingerprinter.Fingerprint("x")), KeyValuePair.Create("a", Fingerprinter.Fingerprint("y"))]));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void FindNearDuplicates_finds_a_lightly_edited_whole_copy()
    {
        var original = Words(seed: 16, count: 1500);
        var random = new Random(16);
        var edited = string.Join(' ', original.Split(' ').Select(w => random.Next(40) == 0 ? "qq" : w));
        using var index = IndexOf(("original", original), ("unrelated", Words(seed: 17, count: 1500)));

        var duplicate = Assert.Single(index.FindNearDuplicates(Fingerprinter.Fingerprint(edited)));
        Assert.Equal("original", duplicate.WorkId);
        Assert.False(duplicate.SameContent);
        Assert.InRange(duplicate.Similarity, 0.6, 0.99);

        var same = Assert.Single(index.FindNearDuplicates(Fingerprinter.Fingerprint(original.ToUpperInvariant())));
        Assert.True(same.SameContent);
        Assert.Equal(1, same.Similarity);
    }

    [Fact]
    public void Match_phrase_in_more_works_than_the_posting_cap_is_treated_as_common()
    {
        var phrase = Words(seed: 18, count: 60);
        using var index = new TextIndex(matchOptions: new TextMatchOptions { MaxPostingsPerHash = 3 });
        for (var i = 0; i < 4; i++)
        {
            index.Add($"w{i}", Fingerprinter.Fingerprint(Words(seed: 100 + i, count: 200) + " " + phrase));
        }

        Assert.Empty(index.Match(Fingerprinter.Analyze(phrase)));
        index.Remove("w3");
        Assert.Equal(3, index.Match(Fingerprinter.Analyze(phrase)).Count);
    }

    [Fact]
    public void Remove_many_works_compacts_and_ids_are_renumbered_when_they_run_out()
    {
        using var index = new TextIndex();
        var texts = Enumerable.Range(0, 30).Select(i => Words(seed: 200 + i, count: 200)).ToArray();
        var sets = texts.Select(t => Fingerprinter.Fingerprint(t)).ToArray();
        index.IdLimit = 14 * sets.Max(s => s.Count);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < texts.Length; i++)
            {
                index.Add($"w{i}", sets[i]);
                if (i >= 10)
                {
                    index.Remove($"w{i - 10}");
                }
            }

            for (var i = 20; i < 30; i++)
            {
                index.Remove($"w{i}");
            }
        }

        Assert.Equal(0, index.Count);
        Assert.Equal(0, index.FingerprintCount);
        index.Add("w5", sets[5]);
        index.Add("w6", sets[6]);
        Assert.Equal(sets[5].Count + sets[6].Count, index.FingerprintCount);
        var match = Assert.Single(index.Match(Fingerprinter.Analyze(Words(seed: 1, count: 50) + " " + texts[6])));
        Assert.Equal("w6", match.WorkId);
        AssertInside(match.Passages[0].Original, 0, texts[6].Length, minShare: 1);
        var e = Assert.Throws<InvalidOperationException>(() => index.Add("w6", Fingerprinter.Fingerprint(string.Join(' ', texts))));
        Assert.Contains("full", e.Message, StringComparison.Ordinal);

        // The refused replacement left the work it would have replaced in place.
        Assert.Equal(sets[5].Count + sets[6].Count, index.FingerprintCount);
        Assert.Equal("w6", Assert.Single(index.Match(Fingerprinter.Analyze(texts[6]))).WorkId);
    }

    [Fact]
    public async Task Match_while_other_threads_add_and_remove_stays_consistent()
    {
        var texts = Enumerable.Range(0, 40).Select(i => Words(seed: 300 + i, count: 150)).ToArray();
        var sets = texts.Select(t => Fingerprinter.Fingerprint(t)).ToArray();
        using var index = new TextIndex();
        index.Add("stable", Fingerprinter.Fingerprint(texts[0]));
        var query = Fingerprinter.Analyze(texts[0]);
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            for (var n = 0; n < 400; n++)
            {
                var i = 1 + (((n * 2) + w) % (texts.Length - 1));
                index.Add($"w{i}", sets[i]);
                index.Remove($"w{(i + 7) % texts.Length}");
            }
        })).ToArray();
        var done = Task.WhenAll(writers);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var checks = 0;
            do
            {
                var match = Assert.Single(index.Match(query));
                Assert.Equal("stable", match.WorkId);
                Assert.Equal(TextMatchGrade.NearExact, match.Grade);
                checks++;
            }
            while (!done.IsCompleted);
            return checks;
        })).ToArray();
        await done;
        var counts = await Task.WhenAll(readers);
        Assert.All(counts, c => Assert.True(c > 0));
        Assert.True(index.Contains("stable"));
    }

    private static TextIndex IndexOf(params (string Id, string Text)[] works)
    {
        var index = new TextIndex();
        index.AddRange(works.Select(w => KeyValuePair.Create(w.Id, Fingerprinter.Fingerprint(w.Text))));
        return index;
    }

    /// <summary>
    /// Asserts that at least <paramref name="minShare"/> of <paramref name="reported"/> lies inside
    /// the true span and that it covers at least <paramref name="minRecall"/> of it (by default a
    /// little less than <paramref name="minShare"/>: hashes can miss a copy's edges).
    /// </summary>
    private static void AssertInside(TextSpan reported, int trueStart, int trueEnd, double minShare, double? minRecall = null)
    {
        var overlap = Math.Min(reported.End, trueEnd) - Math.Max(reported.Start, trueStart);
        Assert.True(overlap >= minShare * reported.Length, $"reported {reported} lies outside [{trueStart}, {trueEnd})");
        Assert.True(overlap >= (minRecall ?? minShare * 0.95) * (trueEnd - trueStart), $"reported {reported} covers too little of [{trueStart}, {trueEnd})");
    }

    /// <summary>Source offsets of <paramref name="words"/> words starting at word <paramref name="firstWord"/>.</summary>
    private static (int Start, int End) WordSpan(string text, int firstWord, int words)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ' ')
            {
                starts.Add(i + 1);
            }
        }

        return (starts[firstWord], starts[firstWord + words] - 1);
    }

    /// <summary>Pseudo-English: words of two to four syllables from a seeded generator, sentences of about twelve words.</summary>
    private static string Words(int seed, int count)
    {
        string[] syllables = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "an", "qui", "por", "del", "mun", "bri", "ost", "ela", "fen", "gar", "hu", "ix", "jo"];
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(random.Next(12) == 0 ? ". " : " ");
            }

            for (var s = random.Next(2, 5); s > 0; s--)
            {
                sb.Append(syllables[random.Next(syllables.Length)]);
            }
        }

        return sb.Append('.').ToString();
    }

    /// <summary>Random common Han characters with Chinese punctuation about every eight characters.</summary>
    private static string Han(int seed, int count)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            sb.Append((char)random.Next(0x4E00, 0x9FA5));
            if (random.Next(8) == 0)
            {
                sb.Append(random.Next(3) == 0 ? '。' : '，');
            }
        }

        return sb.ToString();
    }
}
