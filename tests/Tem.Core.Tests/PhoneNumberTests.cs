using FsCheck.Fluent;

namespace Tem.Core.Tests;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("+44 20 7946 0000", "442079460000")]
    [InlineData("0044 20 7946 0000", "442079460000")]
    [InlineData("+1 (212) 555-0100", "12125550100")]
    [InlineData("001.212.555.0100", "12125550100")]
    [InlineData("020 7946 0000", "02079460000")]
    [InlineData("0612345678", "0612345678")]
    [InlineData("000", "000")]
    [InlineData("0001234", "0001234")]
    [InlineData("00", "00")]
    [InlineData("112", "112")]
    public void Normalize_ValidNumber_StripsInternationalPrefixOnly(string text, string expected) =>
        Assert.Equal(expected, PhoneNumber.Normalize(text));

    [Fact]
    public void TryParse_ValidNumber_KeepsOriginalText()
    {
        Assert.True(PhoneNumber.TryParse("+44 (0)20-7946.0000", out var number));
        Assert.Equal("+44 (0)20-7946.0000", number.Original);
        Assert.Equal("+44 (0)20-7946.0000", number.ToString());
        Assert.Equal("4402079460000", number.Digits);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("+")]
    [InlineData("()-.")]
    [InlineData("1-800-FLOWERS")]
    [InlineData("12a34")]
    [InlineData("12+34")]
    [InlineData("++4420")]
    [InlineData("+0044 20")]
    [InlineData("*72")]
    [InlineData("555#1")]
    [InlineData("4420\u00a07946")]
    [InlineData("٤٤٢٠")]
    public void TryParse_NotAPhoneNumber_ReturnsFalse(string? text)
    {
        Assert.False(PhoneNumber.TryParse(text, out var number));
        Assert.Equal(default, number);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionNamingTheText()
    {
        var ex = Assert.Throws<FormatException>(() => PhoneNumber.Parse("ext. 12"));
        Assert.Contains("'ext. 12'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_SameText_AreEqual() =>
        Assert.Equal(PhoneNumber.Parse("+1 212 555 0100"), PhoneNumber.Parse("+1 212 555 0100"));

    [Fact]
    public void Normalize_NationalNumbers_NeverLosesLeadingZerosOrLength()
    {
        // Any digit string that does not start with the international prefix 00 + country code keeps every digit.
        var national = Properties.Digits(1, 20)
            .Where(d => !(d.Length > 2 && d.StartsWith("00", StringComparison.Ordinal) && d[2] != '0'))
            .ToArbitrary();

        Properties.Check(Prop.ForAll(national, digits => PhoneNumber.Normalize(digits) == digits));
    }

    [Fact]
    public void Normalize_InternationalPrefix_DropsExactlyThePrefix()
    {
        var subscriber = Properties.Digits(0, 14);
        var countryCode = Gen.Choose(1, 9);
        var international = countryCode.SelectMany(_ => subscriber, (cc, rest) => cc.ToString(CultureInfo.InvariantCulture) + rest).ToArbitrary();

        Properties.Check(Prop.ForAll(international, e164 =>
            PhoneNumber.Normalize("+" + e164) == e164 && PhoneNumber.Normalize("00" + e164) == e164));
    }

    [Fact]
    public void Normalize_AnyValidNumber_IsIdempotentAndIgnoresSeparators()
    {
        var separators = Gen.Elements(' ', '-', '.', '(', ')');
        var decorated =
            from plus in Gen.Elements(false, true)
            from digits in Properties.Digits(1, 18)
            from seps in Gen.ArrayOf(separators, digits.Length)
            from insert in Gen.ArrayOf(Gen.Elements(false, false, true), digits.Length)
            where !(plus && digits[0] == '0')
            select (plus ? "+" : string.Empty) + string.Concat(digits.Select((d, i) => insert[i] ? $"{seps[i]}{d}" : d.ToString()));

        Properties.Check(Prop.ForAll(decorated.ToArbitrary(), text =>
        {
            var once = PhoneNumber.Normalize(text);
            var bare = new string(text.Where(char.IsAsciiDigit).ToArray());
            return PhoneNumber.Normalize(once) == once
                && once.All(char.IsAsciiDigit)
                && bare.EndsWith(once, StringComparison.Ordinal)
                && bare.Length - once.Length is 0 or 2
                && PhoneNumber.Parse(text).Original == text;
        }));
    }
}
