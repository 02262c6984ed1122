namespace Tem.Core.Tests;

public class InputDataExceptionTests
{
    [Fact]
    public void Message_AllParts_FollowsStyleFormat()
    {
        var ex = new InputDataException(
            new SourceLocation("usage.csv", 4812, 3), "11 columns", "12", "is a field with a comma missing its quotes?");

        Assert.Equal("usage.csv:4812:3: 11 columns, expected 12 (hint: is a field with a comma missing its quotes?)", ex.Message);
        Assert.Equal(new SourceLocation("usage.csv", 4812, 3), ex.Location);
        Assert.Equal("11 columns", ex.Problem);
        Assert.Equal("12", ex.Expected);
        Assert.Equal("is a field with a comma missing its quotes?", ex.Hint);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public void Message_NoExpectedNoHint_IsLocationAndProblem() =>
        Assert.Equal(
            "usage.csv:4812: 11 columns",
            new InputDataException(new SourceLocation("usage.csv", 4812), "11 columns").Message);

    [Fact]
    public void Message_ColumnName_FollowsLocation() =>
        Assert.Equal(
            "accounts.csv:2:6: currency: 'dollars' is not a currency code, expected ISO 4217 such as USD",
            new InputDataException(
                new SourceLocation("accounts.csv", 2, 6, "currency"),
                "'dollars' is not a currency code",
                "ISO 4217 such as USD").Message);

    [Fact]
    public void Message_WholeFile_HasOnlyTheFile() =>
        Assert.Equal(
            "services.csv: missing required column plan_id (hint: header names are case-insensitive; check the spelling)",
            new InputDataException(
                new SourceLocation("services.csv"),
                "missing required column plan_id",
                hint: "header names are case-insensitive; check the spelling").Message);

    [Fact]
    public void Constructor_Inner_IsKept()
    {
        var inner = new FormatException("bad");

        Assert.Same(inner, new InputDataException(new SourceLocation("a.csv", 1), "bad", innerException: inner).InnerException);
    }

    [Fact]
    public void Constructor_EmptyProblem_Throws() =>
        Assert.ThrowsAny<ArgumentException>(() => new InputDataException(new SourceLocation("a.csv"), string.Empty));
}
