using Push.Grains.Messages;

namespace Push.Grains;

/// <summary>
/// Where every frontend says which crypto keys it holds (fingerprints only), so that a connect
/// frontend whose endpoints the endpoint frontends cannot decrypt is noticed. Key: 0.
/// </summary>
[Alias("Push.IKeyRegistryGrain")]
public interface IKeyRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records this process's keys and returns what every live process reported.</summary>
    [Alias("Report")]
    Task<IReadOnlyList<KeyReport>> ReportAsync(KeyReport report);
}
