using System.Text;
using Push.LoadTool.Measure;

namespace Push.LoadTool.Tests.Measure;

public class StoreInfoTests
{
    private const string Before = "# Stats\r\ntotal_commands_processed:100\r\ntotal_net_input_bytes:5000\r\n" +
        "# Commandstats\r\ncmdstat_zadd:calls=10,usec=50,usec_per_call=5.00\r\ncmdstat_info:calls=1,usec=9\r\n";

    private const string After = "# Stats\r\ntotal_commands_processed:400\r\ntotal_net_input_bytes:9000\r\n" +
        "# Commandstats\r\ncmdstat_zadd:calls=110,usec=550,usec_per_call=5.00\r\ncmdstat_info:calls=1,usec=9\r\ncmdstat_set:calls=200,usec=100\r\n";

    [Fact]
    public void Growth_TwoInfoAnswers_CountersAndCommandCallsGrowth()
    {
        var growth = StoreInfo.Growth(StoreInfo.Parse(Before), StoreInfo.Parse(After));

        Assert.Equal(300, growth["total_commands_processed"]);
        Assert.Equal(4000, growth["total_net_input_bytes"]);
        Assert.Equal(100, growth["calls_zadd"]);
        Assert.Equal(200, growth["calls_set"]);
        Assert.False(growth.ContainsKey("calls_info"));
        Assert.False(growth.ContainsKey("total_net_output_bytes"));
    }

    [Fact]
    public void BulkString_Complete_ReturnsPayload()
    {
        Assert.Equal("a:1\r\nb:2", StoreInfo.BulkString(Encoding.UTF8.GetBytes("$8\r\na:1\r\nb:2\r\n")));
    }

    [Fact]
    public void BulkString_Partial_ReturnsNull()
    {
        Assert.Null(StoreInfo.BulkString(Encoding.UTF8.GetBytes("$8\r\na:1\r")));
        Assert.Null(StoreInfo.BulkString(Encoding.UTF8.GetBytes("$8")));
    }

    [Fact]
    public void BulkString_ErrorReply_Throws()
    {
        Assert.Throws<IOException>(() => StoreInfo.BulkString(Encoding.UTF8.GetBytes("-NOAUTH Authentication required.\r\n")));
    }

    [Fact]
    public void From_NotLoopback_Refused()
    {
        Assert.Throws<ArgumentException>(() => StoreInfo.From("10.0.0.1:6379"));
        Assert.True(StoreInfo.From("127.0.0.1:6379").Enabled);
        Assert.False(StoreInfo.From(null).Enabled);
    }
}
