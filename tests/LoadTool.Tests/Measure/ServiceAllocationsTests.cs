using Push.LoadTool.Measure;

namespace Push.LoadTool.Tests.Measure;

public class ServiceAllocationsTests
{
    [Fact]
    public void Parse_PrometheusPage_ReadsTheCounterWithOrWithoutLabels()
    {
        Assert.Equal(12345, ServiceAllocations.Parse("# TYPE x counter\ndotnet_gc_heap_total_allocated_bytes_total 12345 1700000000\n"));
        Assert.Equal(678, ServiceAllocations.Parse("dotnet_gc_heap_total_allocated_bytes_total{otel_scope_name=\"x\"} 678\n"));
    }

    [Fact]
    public void Parse_PageWithoutCounter_ReturnsNull()
    {
        Assert.Null(ServiceAllocations.Parse("dotnet_gc_heap_total_allocated_bytes_total_other 5\n"));
    }
}
