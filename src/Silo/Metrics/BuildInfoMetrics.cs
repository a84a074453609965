using System.Diagnostics.Metrics;
using Push.Shared;

namespace Push.Silo.Metrics;

/// <summary>
/// <c>push_build_info{version, commit} 1</c>: which build each process runs, the usual Prometheus
/// way to see a rollout progress or a mixed-version cluster.
/// </summary>
internal sealed class BuildInfoMetrics
{
    public const string MeterName = "Push.Build";

    public BuildInfoMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        KeyValuePair<string, object?>[] tags = [new("version", ServiceVersion.Current), new("commit", ServiceVersion.Commit)];
        meter.CreateObservableGauge("push.build.info", () => new Measurement<int>(1, tags), description: "Always 1; the labels name the version and commit of the running build");
    }
}
