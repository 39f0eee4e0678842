using Atelier.Media.Text;

namespace Atelier.Media.Tests.Text;

public sealed class LanguageGuesserTests
{
    [Theory]
    [InlineData("It was the best of times, it was the worst of times, it was the age of wisdom, and it was the age of foolishness.", "en")]
    [InlineData("Il était une fois une petite fille de village, la plus jolie qu'on eût su voir ; sa mère en était folle, et sa mère-grand plus folle encore. Elle est dans la maison avec le loup.", "fr")]
    [InlineData("Als Gregor Samsa eines Morgens aus unruhigen Träumen erwachte, fand er sich in seinem Bett zu einem ungeheueren Ungeziefer verwandelt. Er lag auf seinem panzerartig harten Rücken und sah, wenn er den Kopf ein wenig hob, seinen gewölbten Bauch, und die Bettdecke war nicht mehr.", "de")]
    [InlineData("En un lugar de la Mancha, de cuyo nombre no quiero acordarme, no ha mucho tiempo que vivía un hidalgo de los de lanza en astillero, adarga antigua, rocín flaco y galgo corredor. Una olla de algo más vaca que carnero.", "es")]
    [InlineData("Nel mezzo del cammin di nostra vita mi ritrovai per una selva oscura, ché la diritta via era smarrita. Ahi quanto a dir qual era è cosa dura questa selva selvaggia e aspra e forte che nel pensier rinova la paura! Non è questo il mio.", "it")]
    [InlineData("Ao verme que primeiro roeu as frias carnes do meu cadáver dedico como saudosa lembrança estas memórias póstumas. Não é uma obra para os homens, mas para os vermes, e foi escrita com a pena da galhofa e a tinta da melancolia; não é para mim.", "pt")]
    [InlineData("Het was een koude dag in de stad, en de mensen liepen met hun kragen op. Ik wist niet wat ik moest doen, maar ik ging toch naar buiten. Er was niet veel te zien, het is immers winter en dat is ook wat het is.", "nl")]
    [InlineData("Все счастливые семьи похожи друг на друга.", "ru")]
    [InlineData("في البدء كان الكلمة", "ar")]
    [InlineData("吾輩は猫である。名前はまだ無い。", "ja")]
    [InlineData("대한민국은 민주공화국이다.", "ko")]
    [InlineData("学而时习之，不亦说乎？有朋自远方来，不亦乐乎？", "zh-Hans")]
    [InlineData("學而時習之，不亦說乎？有朋自遠方來，不亦樂乎？", "zh-Hant")]
    [InlineData("天地人和", "zh")]
    [InlineData("Ωραία η Ελλάδα", "el")]
    [InlineData("12345 67890 !!!", "und")]
    [InlineData("Qwerty zxcv bnm", "und")]
    public void Guess_names_the_language(string text, string expected)
    {
        Assert.Equal(expected, LanguageGuesser.Guess(text));
    }
}
