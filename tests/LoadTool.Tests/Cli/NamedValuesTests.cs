using Push.LoadTool.Cli;

namespace Push.LoadTool.Tests.Cli;

public class NamedValuesTests
{
    [Fact]
    public void Parse_BareValue_GetsDefaultName()
    {
        Assert.Equal([("service", "1234")], NamedValues.Parse("1234", "service-pid", "service"));
    }

    [Fact]
    public void Parse_NamedList_KeepsOrder()
    {
        Assert.Equal([("silo", "1"), ("connect", "2")], NamedValues.Parse("silo=1, connect=2", "service-pid", "service"));
    }

    [Fact]
    public void Parse_Nothing_Empty()
    {
        Assert.Empty(NamedValues.Parse(null, "service-pid", "service"));
    }

    [Theory]
    [InlineData("1,2")]
    [InlineData("a=1,a=2")]
    [InlineData("=1")]
    [InlineData("a=")]
    public void Parse_Ambiguous_Refused(string text)
    {
        Assert.Throws<ArgumentException>(() => NamedValues.Parse(text, "service-pid", "service"));
    }
}
