using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Atelier.Fingerprints.Text;

/// <summary>
/// The tokens of a normalised text: a word (a run of word characters between separators) for
/// space-separated scripts, and a single character for CJK, so mixed text works. Each token has a
/// 64-bit hash (XXH3 over the folded UTF-16 of a word; a mixed code point for a CJK character) and
/// the source span it came from. Reused across documents on one thread to keep fingerprinting free
/// of per-document allocations.
/// </summary>
internal sealed class TokenStream
{
    public const byte WordKind = 0;
    public const byte CjkKind = 1;

    // Seeds that keep word and character hashes apart, so "a" the word and a character never collide by construction.
    private const long WordSeed = 0x2F0D3B1A5C4E6987;
    private const ulong CjkSalt = 0x5851F42D4C957F2DUL;

    // Buffers bigger than this are not kept after a document, so one huge text does not pin memory.
    private const int KeepCapacity = 1 << 16;

    [ThreadStatic]
    private static TokenStream? t_cached;

    public ulong[] Hashes = new ulong[1024];
    public int[] Starts = new int[1024];
    public int[] Ends = new int[1024];
    public byte[] Kinds = new byte[1024];
    public int Count;

    private char[] _word = new char[64];
    private int _wordLength;
    private int _wordStart;
    private int _wordEnd;
    private bool _lastOpen;

    /// <summary>A stream for this thread, empty; give it back with <see cref="Return"/>.</summary>
    public static TokenStream Rent()
    {
        var stream = t_cached ?? new TokenStream();
        t_cached = null;
        stream.Count = 0;
        stream._wordLength = 0;
        stream._lastOpen = false;
        return stream;
    }

    public static void Return(TokenStream stream)
    {
        if (stream.Hashes.Length <= KeepCapacity)
        {
            t_cached = stream;
        }
    }

    /// <summary>Normalises and tokenises <paramref name="source"/> into this stream.</summary>
    public void Tokenize(ReadOnlySpan<char> source)
    {
        var sink = new Sink(this);
        TextNormalizer.Run(source, ref sink);
        FlushWord();
    }

    private void AddWordChar(char c, int start, int end)
    {
        if (_wordLength == 0)
        {
            _wordStart = start;
        }
        else if (_wordLength == _word.Length)
        {
            Array.Resize(ref _word, _word.Length * 2);
        }

        _word[_wordLength++] = c;
        _wordEnd = end;
        _lastOpen = true;
    }

    private void FlushWord()
    {
        if (_wordLength == 0)
        {
            return;
        }

        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(_word.AsSpan(0, _wordLength)), WordSeed);
        Add(hash, _wordStart, _wordEnd, WordKind);
        _wordLength = 0;
    }

    private void AddCjk(int codePoint, int start, int end)
    {
        FlushWord();
        Add(Winnowing.Mix((ulong)codePoint + CjkSalt), start, end, CjkKind);
        _lastOpen = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(ulong hash, int start, int end, byte kind)
    {
        if (Count == Hashes.Length)
        {
            Grow();
        }

        Hashes[Count] = hash;
        Starts[Count] = start;
        Ends[Count] = end;
        Kinds[Count] = kind;
        Count++;
    }

    private void Grow()
    {
        var size = Hashes.Length * 2;
        Array.Resize(ref Hashes, size);
        Array.Resize(ref Starts, size);
        Array.Resize(ref Ends, size);
        Array.Resize(ref Kinds, size);
    }

    private void Extend(int end)
    {
        if (!_lastOpen)
        {
            return;
        }

        if (_wordLength > 0)
        {
            _wordEnd = end;
        }
        else if (Count > 0)
        {
            Ends[Count - 1] = end;
        }
    }

    private void Separate()
    {
        FlushWord();
        _lastOpen = false;
    }

    private readonly struct Sink(TokenStream stream) : INormalizedSink
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Char(char c, CharClass cls, int sourceStart, int sourceEnd)
        {
            if (cls == CharClass.Word)
            {
                stream.AddWordChar(c, sourceStart, sourceEnd);
            }
            else
            {
                stream.AddCjk(c, sourceStart, sourceEnd);
            }
        }

        public void Pair(char high, char low, CharClass cls, int sourceStart, int sourceEnd)
        {
            if (cls == CharClass.Word)
            {
                stream.AddWordChar(high, sourceStart, sourceEnd);
                stream.AddWordChar(low, sourceStart, sourceEnd);
            }
            else
            {
                stream.AddCjk(char.ConvertToUtf32(high, low), sourceStart, sourceEnd);
            }
        }

        public void Separator(int sourceIndex) => stream.Separate();

        public void Extend(int sourceEnd) => stream.Extend(sourceEnd);
    }
}

/// <summary>Scratch arrays for the k-grams of one document, reused on one thread.</summary>
internal sealed class GramBuffer
{
    private const int KeepCapacity = 1 << 16;

    [ThreadStatic]
    private static GramBuffer? t_cached;

    public ulong[] Hashes = [];
    public int[] Units = [];
    public int[] SourceStarts = [];
    public int[] SourceEnds = [];
    public ulong[] Prefix = [];
    public int[] TokenUnits = [];
    public ulong[] Powers = new ulong[65];
    public int[] Selected = [];
    public int Count;

    public static GramBuffer Rent()
    {
        var buffer = t_cached ?? new GramBuffer();
        t_cached = null;
        buffer.Count = 0;
        return buffer;
    }

    public static void Return(GramBuffer buffer)
    {
        if (buffer.Hashes.Length <= KeepCapacity)
        {
            t_cached = buffer;
        }
    }

    public void EnsureCapacity(int tokens, int maxTokensPerGram)
    {
        if (Prefix.Length < tokens + 1)
        {
            var size = Math.Max(tokens + 1, Prefix.Length * 2);
            Hashes = new ulong[size];
            Units = new int[size];
            SourceStarts = new int[size];
            SourceEnds = new int[size];
            Prefix = new ulong[size];
            TokenUnits = new int[size];
            Selected = new int[size];
        }

        if (Powers.Length < maxTokensPerGram + 1)
        {
            Powers = new ulong[maxTokensPerGram + 1];
        }
    }
}
